import FxACore
import Foundation
import SQLKit

/// ``TOTPStore`` on the `totp_secrets` table (``TOTPRow``).
public struct SQLTOTPStore: TOTPStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func totp(uid: AccountUID) async throws -> TOTPRecord? {
        guard let row = try await database.readSQL().row(TOTPRow.self, where: "uid", is: uid.hex) else { return nil }
        // Never "off" for a secret that is there: sign-in would skip the code.
        guard let record = row.record else { throw FxAStoreError.unreadableRow(table: TOTPRow.table) }
        return record
    }

    public func savePending(_ record: TOTPRecord) async throws -> Bool {
        var pending = record
        pending.setupVerifiedAt = nil
        pending.enabledAt = nil
        pending.lastUsedStep = nil
        pending.failedCodes = 0
        pending.lockedUntil = nil
        var statement = try TOTPRow(pending).insertStatement()
        // Replaces a pending secret, never an enabled one: the WHERE makes
        // the update a no-op, and RETURNING then answers no row.
        statement.appendInterpolation(unsafeRaw: """
             ON CONFLICT (uid) DO UPDATE SET secret = excluded.secret, enrollment = excluded.enrollment, \
            created_at = excluded.created_at, setup_verified_at = NULL, enabled_at = NULL, last_used_step = NULL, \
            setup_session_hash = excluded.setup_session_hash, failed_codes = 0, locked_until = NULL \
            WHERE totp_secrets.enabled_at IS NULL RETURNING uid
            """)
        return try await database.sql().raw(statement).first() != nil
    }

    public func markSetupVerified(uid: AccountUID, secret: Data, step: Int64, at date: Date) async throws -> Bool {
        try await database.sql().raw("""
            UPDATE totp_secrets SET setup_verified_at = \(bind: date), last_used_step = \(bind: step) \
            WHERE uid = \(bind: uid.hex) AND secret = \(bind: secret) AND enabled_at IS NULL RETURNING uid
            """).first() != nil
    }

    public func enable(
        uid: AccountUID, secret: Data, at date: Date, usedStep: Int64?, recording event: OutboxEvent?
    ) async throws -> Bool {
        try await database.transaction { sql in
            let enabled = try await sql.raw("""
                UPDATE totp_secrets SET enabled_at = \(bind: date), \
                last_used_step = COALESCE(\(bind: usedStep), last_used_step) \
                WHERE uid = \(bind: uid.hex) AND secret = \(bind: secret) AND enabled_at IS NULL RETURNING uid
                """).first() != nil
            if enabled, let event { try await OutboxSQL.record(event, on: sql) }
            return enabled
        }
    }

    public func spend(uid: AccountUID, step: Int64, at date: Date) async throws -> Bool {
        // One statement, so two requests with the same code cannot both
        // pass: the second sees the step already spent.
        try await database.sql().raw("""
            UPDATE totp_secrets SET last_used_step = \(bind: step), failed_codes = 0, locked_until = NULL \
            WHERE uid = \(bind: uid.hex) AND enabled_at IS NOT NULL \
            AND (last_used_step IS NULL OR last_used_step < \(bind: step)) RETURNING uid
            """).first() != nil
    }

    public func reserveCodeAttempt(uid: AccountUID, at date: Date, lockEvery: Int, lockEnds: [Date]) async throws -> Int? {
        precondition(lockEvery > 0 && !lockEnds.isEmpty, "a lock needs a period and an end")
        // The lock's end is chosen by the count this statement reaches:
        // CASE over the n-th multiple of lockEvery, the last end beyond.
        var statement = SQLQueryString("UPDATE totp_secrets SET failed_codes = failed_codes + 1, locked_until = CASE ")
        statement.appendInterpolation(unsafeRaw: "WHEN (failed_codes + 1) % \(lockEvery) <> 0 THEN locked_until ")
        for (index, end) in lockEnds.dropLast().enumerated() {
            statement.appendInterpolation(unsafeRaw: "WHEN (failed_codes + 1) / \(lockEvery) = \(index + 1) THEN ")
            statement.appendInterpolation(bind: end)
            statement.appendInterpolation(unsafeRaw: " ")
        }
        statement.appendInterpolation(unsafeRaw: "ELSE ")
        statement.appendInterpolation(bind: lockEnds[lockEnds.count - 1])
        statement.appendInterpolation(unsafeRaw: " END WHERE uid = ")
        statement.appendInterpolation(bind: uid.hex)
        statement.appendInterpolation(unsafeRaw: " AND enabled_at IS NOT NULL AND (locked_until IS NULL OR locked_until <= ")
        statement.appendInterpolation(bind: date)
        statement.appendInterpolation(unsafeRaw: ") RETURNING failed_codes")
        return try await database.sql().raw(statement).first(decoding: FailedCodes.self)?.failedCodes
    }

    public func delete(uid: AccountUID, recording event: OutboxEvent?) async throws -> Bool {
        try await database.transaction { sql in
            let removed = try await sql.raw("""
                DELETE FROM totp_secrets WHERE uid = \(bind: uid.hex) RETURNING enabled_at
                """).first(decoding: EnabledAt.self)
            let wasEnabled = removed?.enabledAt != nil
            if wasEnabled, let event { try await OutboxSQL.record(event, on: sql) }
            return wasEnabled
        }
    }

    private struct FailedCodes: Decodable {
        var failedCodes: Int
        enum CodingKeys: String, CodingKey { case failedCodes = "failed_codes" }
    }

    private struct EnabledAt: Decodable {
        var enabledAt: Date?
        enum CodingKeys: String, CodingKey { case enabledAt = "enabled_at" }
    }
}
