import FxACore
import Foundation

/// A row of `recovery_keys` (``RecoveryKeyRecord``).
struct RecoveryKeyRow: TableRow {
    static let table = "recovery_keys"

    var uid: String
    var idHash: Data
    var recoveryData: String
    var createdAt: Date
    var enabled: Bool
    var hint: String?

    init(_ key: RecoveryKeyRecord) {
        uid = key.uid.hex
        idHash = key.idHash.bytes
        recoveryData = key.recoveryData
        createdAt = key.createdAt
        enabled = key.enabled
        hint = key.hint
    }

    /// The stored key; `nil` only for a row this code could not have written.
    var record: RecoveryKeyRecord? {
        guard let uid = AccountUID(hex: uid), let idHash = TokenHash(bytes: idHash) else { return nil }
        return RecoveryKeyRecord(
            uid: uid, idHash: idHash, recoveryData: recoveryData, createdAt: createdAt, enabled: enabled, hint: hint)
    }
}
