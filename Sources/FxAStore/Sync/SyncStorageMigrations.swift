import FluentKit
import SQLKit

/// Creates Sync 1.5 storage: `sync_storage` (one row per Sync user),
/// `sync_collections` and `sync_bsos`, keyed by the Sync user id
/// (`sync_users.id`). Plain SQL: Fluent's schema builder has no composite
/// primary key, and these types mean the same on SQLite and PostgreSQL.
struct CreateSyncStorage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = sqlDatabase(tx)
            try await sql.raw("""
                CREATE TABLE sync_storage (user_id BIGINT PRIMARY KEY, modified BIGINT NOT NULL)
                """).run()
            try await sql.raw("""
                CREATE TABLE sync_collections (user_id BIGINT NOT NULL, name TEXT NOT NULL, modified BIGINT NOT NULL, \
                PRIMARY KEY (user_id, name))
                """).run()
            try await sql.raw("""
                CREATE TABLE sync_bsos (user_id BIGINT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, \
                sort_index BIGINT, payload TEXT NOT NULL, payload_bytes BIGINT NOT NULL, modified BIGINT NOT NULL, \
                expires BIGINT NOT NULL, PRIMARY KEY (user_id, collection, id))
                """).run()
            // `newer`, `older` and the sort orders read a collection by time;
            // the purge finds expired records by expiry.
            try await sql.raw("CREATE INDEX sync_bsos_modified ON sync_bsos (user_id, collection, modified)").run()
            try await sql.raw("CREATE INDEX sync_bsos_expires ON sync_bsos (expires)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = sqlDatabase(database)
        for table in [SyncBSORow.table, SyncCollectionRow.table, SyncStorageRow.table] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}

/// Creates the batch uploads: `sync_batches` (one per batch a client
/// opened, with its expiry) and `sync_batch_items` (the records sent to
/// it, applied together when the client commits).
struct CreateSyncBatches: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = sqlDatabase(tx)
            try await sql.raw("""
                CREATE TABLE sync_batches (user_id BIGINT NOT NULL, id BIGINT NOT NULL, collection TEXT NOT NULL, \
                expires BIGINT NOT NULL, PRIMARY KEY (user_id, id))
                """).run()
            try await sql.raw("""
                CREATE TABLE sync_batch_items (user_id BIGINT NOT NULL, batch_id BIGINT NOT NULL, id TEXT NOT NULL, \
                sort_index BIGINT, payload TEXT, payload_bytes BIGINT, ttl BIGINT, position BIGINT NOT NULL, \
                PRIMARY KEY (user_id, batch_id, id))
                """).run()
            try await sql.raw("CREATE INDEX sync_batches_expires ON sync_batches (expires)").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = sqlDatabase(database)
        for table in [SyncBatchItemRow.table, SyncBatchRow.table] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}
