import FxACore
import Foundation

/// A row of `verification_codes`, keyed by "<uid>:<purpose>" (``StoredCode``).
struct VerificationCodeRow: TableRow {
    static let table = "verification_codes"

    var key: String
    var uid: String
    var purpose: String
    var codeHash: Data
    var expiresAt: Date
    var failedAttempts: Int

    /// The primary key of an account's code for one purpose: at most one
    /// live code each.
    static func key(_ uid: AccountUID, _ purpose: VerificationPurpose) -> String {
        uid.hex + ":" + purpose.rawValue
    }

    init(_ code: StoredCode) {
        key = Self.key(code.uid, code.purpose)
        uid = code.uid.hex
        purpose = code.purpose.rawValue
        codeHash = code.codeHash.bytes
        expiresAt = code.expiresAt
        failedAttempts = code.failedAttempts
    }

    /// The stored code; `nil` for a purpose this version does not know.
    var record: StoredCode? {
        guard let uid = AccountUID(hex: uid), let purpose = VerificationPurpose(rawValue: purpose),
              let codeHash = TokenHash(bytes: codeHash)
        else { return nil }
        return StoredCode(uid: uid, purpose: purpose, codeHash: codeHash, expiresAt: expiresAt, failedAttempts: failedAttempts)
    }
}
