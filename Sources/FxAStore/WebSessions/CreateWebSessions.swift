import FluentKit
import SQLKit

/// Creates `web_sessions`, with indexes for the sweep and for deleting an
/// account's sessions.
struct CreateWebSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("id_hash", .data, .identifier(auto: false))
            .field("token_id_hash", .data, .required)
            .field("uid", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "web_sessions_uid").on("web_sessions").column("uid").run()
        try await sql.create(index: "web_sessions_created").on("web_sessions").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").delete()
    }
}
