import FluentKit

/// Creates `auth_tokens`, indexed by account for "delete every token".
struct CreateAuthTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuthTokenRow.table)
            .field("id_hash", .data, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("uid", .string, .required)
            .field("wrapped_keys", .data, .required)
            .field("created_at", .datetime, .required)
            .field("verified", .bool, .required)
            .field("stretch_version", .int)
            .field("parent_id_hash", .data)
            .field("sealed_key_bundle", .data)
            .create()
        try await sqlDatabase(database).create(index: "auth_tokens_uid_idx").on(AuthTokenRow.table).column("uid").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuthTokenRow.table).delete()
    }
}

/// Adds `verification_method` to `auth_tokens`: how a session was
/// confirmed, from which its `amr` and assurance level follow.
struct AddSessionVerificationMethod: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuthTokenRow.table).field("verification_method", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuthTokenRow.table).deleteField("verification_method").update()
    }
}
