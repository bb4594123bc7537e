import FluentKit

/// Adds `web_sessions.shares_token`: whether the session token is also
/// Firefox's (``WebSession/sharesToken``). Existing sessions own theirs.
struct AddWebSessionSharesToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("shares_token", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").deleteField("shares_token").update()
    }
}
