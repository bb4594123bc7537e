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
                guard let row = try await sql.raw("""
                    UPDATE sync_users SET generation = \(bind: generation), keys_changed_at = \(bind: keysChangedAt) \
                    WHERE id = \(bind: id) AND uid = \(bind: uid.hex) RETURNING *
                    """).row(SyncUserRow.self), let user = row.record
                else { throw FxAStoreError.notFound }
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
                    throw FxAStoreError.notFound
                }
                return user
            }
        }
    }

    /// Newest first, as the tokenserver reads them.
    static func users(uid: AccountUID, on sql: any SQLDatabase) async throws -> [SyncUserRecord] {
        try await sql.raw("""
            SELECT * FROM sync_users WHERE uid = \(bind: uid.hex) ORDER BY created_at DESC, id DESC
            """).rows(SyncUserRow.self).compactMap(\.record)
    }
}
