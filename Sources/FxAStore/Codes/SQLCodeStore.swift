import FxACore
import Foundation
import SQLKit

/// ``CodeStore`` on the `verification_codes` table (``VerificationCodeRow``).
public struct SQLCodeStore: CodeStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func put(_ code: StoredCode) async throws {
        let row = VerificationCodeRow(code)
        try await database.transaction { sql in
            try await sql.delete(from: VerificationCodeRow.table).where("key", .equal, row.key).run()
            try await sql.insert(row)
        }
    }

    public func code(uid: AccountUID, purpose: VerificationPurpose) async throws -> StoredCode? {
        try await database.sql().row(VerificationCodeRow.self, where: "key", is: VerificationCodeRow.key(uid, purpose))?.record
    }

    public func recordFailedAttempt(uid: AccountUID, purpose: VerificationPurpose) async throws -> Int {
        let row = try await database.sql().update(VerificationCodeRow.table)
            .set(SQLIdentifier("failed_attempts"), to: SQLRaw("failed_attempts + 1"))
            .where("key", .equal, VerificationCodeRow.key(uid, purpose))
            .returning("failed_attempts")
            .first()
        return try row?.decode(column: "failed_attempts", as: Int.self) ?? 0
    }

    public func reserveAttempt(uid: AccountUID, purpose: VerificationPurpose, limit: Int, now: Date) async throws -> StoredCode? {
        try await database.sql().raw("""
            UPDATE verification_codes SET failed_attempts = failed_attempts + 1 \
            WHERE key = \(bind: VerificationCodeRow.key(uid, purpose)) AND failed_attempts < \(bind: limit) \
            AND expires_at > \(bind: now) RETURNING *
            """).row(VerificationCodeRow.self)?.record
    }

    public func delete(uid: AccountUID, purpose: VerificationPurpose) async throws {
        try await database.sql().delete(from: VerificationCodeRow.table)
            .where("key", .equal, VerificationCodeRow.key(uid, purpose))
            .run()
    }

    public func consume(uid: AccountUID, purpose: VerificationPurpose, codeHash: TokenHash) async throws -> Bool {
        try await database.sql().raw("""
            DELETE FROM verification_codes WHERE key = \(bind: VerificationCodeRow.key(uid, purpose)) \
            AND code_hash = \(bind: codeHash.bytes) RETURNING key
            """).first() != nil
    }
}
