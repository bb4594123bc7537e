import FluentKit
import SQLKit

/// Creates `oauth_codes` and `oauth_tokens`.
struct CreateOAuthGrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthCodeRow.table)
            .field("code_hash", .data, .identifier(auto: false))
            .field("client_id", .string, .required)
            .field("uid", .string, .required)
            .field("scope", .string, .required)
            .field("redirect_uri", .string)
            .field("code_challenge", .string)
            .field("nonce", .string)
            .field("offline", .bool, .required)
            .field("auth_at", .datetime, .required)
            .field("amr", .array(of: .string), .required)
            .field("aal", .int, .required)
            .field("keys_jwe", .string)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema(OAuthTokenRow.table)
            .field("token_hash", .data, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("client_id", .string, .required)
            .field("uid", .string, .required)
            .field("scope", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime, .required)
            .field("parent_hash", .data)
            .field("grant_code_hash", .data)
            .field("auth_at", .datetime)
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "oauth_tokens_uid").on(OAuthTokenRow.table).column("uid").run()
        try await sql.create(index: "oauth_tokens_parent").on(OAuthTokenRow.table).column("parent_hash").run()
        try await sql.create(index: "oauth_tokens_grant_code").on(OAuthTokenRow.table).column("grant_code_hash").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthTokenRow.table).delete()
        try await database.schema(OAuthCodeRow.table).delete()
    }
}

/// Adds `oauth_tokens.session_id_hash` (``OAuthTokenRecord/sessionIDHash``):
/// the FxA session that minted an `fxa-credentials` token, so that signing
/// the session out ends the tokens it minted. Existing tokens name none.
struct AddOAuthTokenSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthTokenRow.table).field("session_id_hash", .data).update()
        try await sqlDatabase(database).create(index: "oauth_tokens_session").on(OAuthTokenRow.table).column("session_id_hash").run()
    }

    func revert(on database: any Database) async throws {
        try await sqlDatabase(database).drop(index: "oauth_tokens_session").run()
        try await database.schema(OAuthTokenRow.table).deleteField("session_id_hash").update()
    }
}
