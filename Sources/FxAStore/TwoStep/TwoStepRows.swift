import FxACore
import Foundation

/// A row of `totp_secrets` (``TOTPRecord``).
struct TOTPRow: TableRow {
    static let table = "totp_secrets"

    var uid: String
    var secret: Data
    var enrollment: String
    var createdAt: Date
    var setupVerifiedAt: Date?
    var enabledAt: Date?
    var lastUsedStep: Int64?
    var setupSessionHash: Data?
    var failedCodes: Int
    var lockedUntil: Date?

    init(_ record: TOTPRecord) {
        uid = record.uid.hex
        secret = record.secret
        enrollment = record.enrollment.rawValue
        createdAt = record.createdAt
        setupVerifiedAt = record.setupVerifiedAt
        enabledAt = record.enabledAt
        lastUsedStep = record.lastUsedStep
        setupSessionHash = record.setupSessionHash?.bytes
        failedCodes = record.failedCodes
        lockedUntil = record.lockedUntil
    }

    /// The stored secret; `nil` only for a row this code could not have written.
    var record: TOTPRecord? {
        guard let uid = AccountUID(hex: uid), let enrollment = TOTPEnrollment(rawValue: enrollment) else { return nil }
        return TOTPRecord(
            uid: uid, secret: secret, enrollment: enrollment, createdAt: createdAt, setupVerifiedAt: setupVerifiedAt,
            enabledAt: enabledAt, lastUsedStep: lastUsedStep,
            setupSessionHash: setupSessionHash.flatMap { TokenHash(bytes: $0) }, failedCodes: failedCodes,
            lockedUntil: lockedUntil)
    }
}

/// A row of `recovery_codes`: one unused backup code of an account, by hash.
struct RecoveryCodeRow: TableRow {
    static let table = "recovery_codes"

    var uid: String
    var codeHash: Data
}
