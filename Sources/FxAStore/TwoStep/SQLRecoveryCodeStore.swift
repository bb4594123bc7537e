import FxACore
import Foundation
import SQLKit

/// ``RecoveryCodeStore`` on the `recovery_codes` table (``RecoveryCodeRow``).
public struct SQLRecoveryCodeStore: RecoveryCodeStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func replace(uid: AccountUID, with hashes: [TokenHash]) async throws {
        try await database.transaction { sql in
            try await sql.delete(from: RecoveryCodeRow.table).where("uid", .equal, uid.hex).run()
            for hash in hashes {
                try await sql.insert(RecoveryCodeRow(uid: uid.hex, codeHash: hash.bytes))
            }
        }
    }

    public func consume(uid: AccountUID, hash: TokenHash) async throws -> Int? {
        try await database.transaction { sql in
            let deleted = try await sql.raw("""
                DELETE FROM recovery_codes WHERE uid = \(bind: uid.hex) AND code_hash = \(bind: hash.bytes) RETURNING uid
                """).first()
            guard deleted != nil else { return nil }
            return try await Self.count(uid: uid, on: sql)
        }
    }

    public func count(uid: AccountUID) async throws -> Int {
        try await Self.count(uid: uid, on: database.readSQL())
    }

    public func deleteAll(uid: AccountUID) async throws {
        try await database.sql().delete(from: RecoveryCodeRow.table).where("uid", .equal, uid.hex).run()
    }

    private static func count(uid: AccountUID, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE uid = \(bind: uid.hex)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
