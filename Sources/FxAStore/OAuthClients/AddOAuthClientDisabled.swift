import FluentKit

/// Adds `oauth_clients.disabled` (``OAuthClientRecord/disabled``): how an
/// operator turns a client off without deleting it, which the built-in
/// Firefox clients cannot be. Every existing client stays enabled.
struct AddOAuthClientDisabled: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthClientModel.schema)
            .field("disabled", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientModel.schema).deleteField("disabled").update()
    }
}
