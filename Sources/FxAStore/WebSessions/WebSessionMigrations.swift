import FluentKit
import SQLKit

/// Creates `web_sessions`, with indexes for the sweep and for deleting an
/// account's sessions.
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebSessionRow.table)
            .field("id_hash", .data, .identifier(auto: false))
            .field("token_id_hash", .data, .required)
            .field("uid", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "web_sessions_uid").on(WebSessionRow.table).column("uid").run()
        try await sql.create(index: "web_sessions_created").on(WebSessionRow.table).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebSessionRow.table).delete()
    }
}

/// Adds `web_sessions.shares_token`: whether the session token is also
/// Firefox's (``WebSession/sharesToken``). Existing sessions own theirs.
struct AddWebSessionSharesToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebSessionRow.table)
            .field("shares_token", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebSessionRow.table).deleteField("shares_token").update()
    }
}
