import FluentKit
import SQLKit

/// Creates `sync_users`: the tokenserver's users, numbered by the database
/// (the Sync uid), at most one current (not replaced) per account.
struct CreateSyncUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(SyncUserRow.table)
                .field("id", .int64, .identifier(auto: true))
                .field("uid", .string, .required)
                .field("generation", .int64, .required)
                .field("keys_changed_at", .int64)
                .field("client_state", .string, .required)
                .field("created_at", .datetime, .required)
                .field("replaced_at", .datetime)
                .create()
            let sql = sqlDatabase(tx)
            try await sql.raw("CREATE INDEX sync_users_uid ON sync_users (uid)").run()
            try await sql.raw("CREATE UNIQUE INDEX sync_users_one_current ON sync_users (uid) WHERE replaced_at IS NULL").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SyncUserRow.table).delete()
    }
}
