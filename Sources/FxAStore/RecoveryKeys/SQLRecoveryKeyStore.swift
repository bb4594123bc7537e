import FxACore
import Foundation
import SQLKit

/// ``RecoveryKeyStore`` on the `recovery_keys` table (``RecoveryKeyRow``).
public struct SQLRecoveryKeyStore: RecoveryKeyStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func recoveryKey(uid: AccountUID) async throws -> RecoveryKeyRecord? {
        try await database.readSQL().row(RecoveryKeyRow.self, where: "uid", is: uid.hex)?.record
    }

    public func save(_ key: RecoveryKeyRecord, replacing: Bool) async throws -> Bool {
        var statement = try RecoveryKeyRow(key).insertStatement()
        // One statement: an enabled key is replaced only when asked, even
        // against a concurrent create.
        statement.appendInterpolation(unsafeRaw: """
             ON CONFLICT (uid) DO UPDATE SET id_hash = excluded.id_hash, recovery_data = excluded.recovery_data, \
            created_at = excluded.created_at, enabled = excluded.enabled, hint = excluded.hint \
            WHERE recovery_keys.enabled = \(replacing ? "recovery_keys.enabled" : "FALSE") RETURNING uid
            """)
        return try await database.sql().raw(statement).first() != nil
    }

    public func enable(uid: AccountUID, idHash: TokenHash) async throws -> Bool {
        try await database.sql().raw("""
            UPDATE recovery_keys SET enabled = \(bind: true) WHERE uid = \(bind: uid.hex) AND id_hash = \(bind: idHash.bytes) \
            RETURNING uid
            """).first() != nil
    }

    public func setHint(_ hint: String?, uid: AccountUID) async throws -> Bool {
        try await database.sql().raw("""
            UPDATE recovery_keys SET hint = \(bind: hint) WHERE uid = \(bind: uid.hex) AND enabled = \(bind: true) RETURNING uid
            """).first() != nil
    }

    public func delete(uid: AccountUID) async throws -> Bool {
        try await database.sql().raw("DELETE FROM recovery_keys WHERE uid = \(bind: uid.hex) RETURNING uid").first() != nil
    }
}
