import FluentKit
import SQLKit

/// Adds `oauth_tokens.session_id_hash` (``OAuthTokenRecord/sessionIDHash``):
/// the FxA session that minted an `fxa-credentials` token, so that signing
/// the session out ends the tokens it minted. Existing tokens name none.
struct AddOAuthTokenSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("oauth_tokens").field("session_id_hash", .data).update()
        try await sqlDatabase(database).create(index: "oauth_tokens_session").on("oauth_tokens").column("session_id_hash").run()
    }

    func revert(on database: any Database) async throws {
        try await sqlDatabase(database).drop(index: "oauth_tokens_session").run()
        try await database.schema("oauth_tokens").deleteField("session_id_hash").update()
    }
}
