import FxACore
import Foundation
import SQLKit

/// ``SyncUserStore`` on the `sync_users` table (``SyncUserRow``).
public struct SQLSyncUserStore: SyncUserStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func syncUsers(uid: AccountUID) async throws -> [SyncUserRecord] {
        try await Self.users(uid: uid, on: database.readSQL())
    }

    public func assignSyncUser(
        uid: AccountUID, at date: Date, decide: @escaping @Sendable ([SyncUserRecord]) throws -> SyncUserDecision
    ) async throws -> SyncUserRecord {
        // Most requests change nothing: decided on a plain read, they take
        // no lock. Anything else is decided again under the lock.
        if case .use(let user) = try decide(try await Self.users(uid: uid, on: database.readSQL())) {
            return user
        }
        let isPostgres = database.location.isPostgres
        return try await database.transaction { sql in
            // The account's row, locked on PostgreSQL: concurrent
            // assignments for one account run one after the other (SQLite
            // has one writer anyway), and a deleted account gets no user.
            var lock: SQLQueryString = "SELECT uid FROM accounts WHERE uid = \(bind: uid.hex)"
            if isPostgres { lock.appendInterpolation(unsafeRaw: " FOR UPDATE") }
            guard try await sql.raw(lock).first() != nil else { throw FxAStoreError.notFound }

            switch try decide(try await Self.users(uid: uid, on: sql)) {
            case .use(let user):
                return user
            case .update(let id, let generation, let keysChangedAt):
                // Only the current user, and never backwards, whatever the
                // caller decided (as the tokenserver's own UPDATE guards).
                guard let row = try await sql.raw("""
                    UPDATE sync_users SET generation = \(bind: generation), keys_changed_at = \(bind: keysChangedAt) \
                    WHERE id = \(bind: id) AND uid = \(bind: uid.hex) AND replaced_at IS NULL \
                    AND generation <= \(bind: generation) \
                    AND COALESCE(keys_changed_at, 0) <= COALESCE(\(bind: keysChangedAt), keys_changed_at, 0) RETURNING *
                    """).row(SyncUserRow.self)
                else { throw FxAStoreError.conflict }
                guard let user = row.record else { throw FxAStoreError.unreadableRow(table: SyncUserRow.table) }
                return user
            case .create(let generation, let keysChangedAt, let clientState):
                try await sql.raw("""
                    UPDATE sync_users SET replaced_at = \(bind: date) WHERE uid = \(bind: uid.hex) AND replaced_at IS NULL
                    """).run()
                let row = SyncUserRow(
                    uid: uid, generation: generation, keysChangedAt: keysChangedAt, clientState: clientState, createdAt: date)
                var insert = try row.insertStatement()
                insert.appendInterpolation(unsafeRaw: " RETURNING *")
                guard let user = try await sql.raw(insert).row(SyncUserRow.self)?.record else {
                    throw FxAStoreError.unreadableRow(table: SyncUserRow.table)
                }
                return user
            }
        }
    }

    /// Newest first, as the tokenserver reads them.
    static func users(uid: AccountUID, on sql: any SQLDatabase) async throws -> [SyncUserRecord] {
        try await sql.raw("""
            SELECT * FROM sync_users WHERE uid = \(bind: uid.hex) ORDER BY created_at DESC, id DESC
            """).rows(SyncUserRow.self).map { row in
                // A row that does not read would hide an old client state
                // from the tokenserver's rules: fail instead.
                guard let user = row.record else { throw FxAStoreError.unreadableRow(table: SyncUserRow.table) }
                return user
            }
    }
}
