import FluentKit
import Foundation
import SQLKit

/// Creates `oauth_clients`.
struct CreateOAuthClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthClientRow.table)
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("redirect_uris", .array(of: .string), .required)
            .field("image_uri", .string)
            .field("trusted", .bool, .required)
            .field("public_client", .bool, .required)
            .field("allowed_scopes", .array(of: .string), .required)
            .field("webhook_url", .string)
            .field("jwt_access_tokens", .bool, .required)
            .field("secret_hash", .data)
            .field("previous_secret_hash", .data)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientRow.table).delete()
    }
}

/// Adds `oauth_clients.owner_uid`: the account that registered a client in
/// the developer console. Existing clients were all registered by the
/// operator and keep `NULL` (no owner: managed by the CLI only). The index
/// serves the console's list of a user's clients.
///
/// One transaction, so a crash cannot leave the column without its index
/// (and a retry of this migration failing on the existing column).
struct AddOAuthClientOwner: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(OAuthClientRow.table).field("owner_uid", .string).update()
            try await sqlDatabase(tx).raw("CREATE INDEX oauth_clients_owner ON oauth_clients (owner_uid)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            try await sqlDatabase(tx).raw("DROP INDEX IF EXISTS oauth_clients_owner").run()
            try await tx.schema(OAuthClientRow.table).deleteField("owner_uid").update()
        }
    }
}

/// Adds `oauth_clients.registered_in_console`: whether an account, not the
/// operator, registered the client (``OAuthClientRecord/registeredInConsole``).
/// Until now `owner_uid` said so, but it is cleared when the owner deletes
/// their account, which would have made such a client look like the
/// operator's. Filled from `owner_uid` for existing rows (a console client
/// whose owner was already deleted cannot be told apart and reads as the
/// operator's, as it did before). One transaction, so a crash cannot leave
/// the column unfilled.
struct AddOAuthClientRegisteredInConsole: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(OAuthClientRow.table)
                .field("registered_in_console", .bool, .required, .sql(.default(false)))
                .update()
            try await sqlDatabase(tx).raw("""
                UPDATE oauth_clients SET registered_in_console = \(bind: true) WHERE owner_uid IS NOT NULL
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientRow.table).deleteField("registered_in_console").update()
    }
}

/// Adds `oauth_clients.disabled` (``OAuthClientRecord/disabled``): how an
/// operator turns a client off without deleting it, which the built-in
/// Firefox clients cannot be. Every existing client stays enabled.
struct AddOAuthClientDisabled: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthClientRow.table)
            .field("disabled", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientRow.table).deleteField("disabled").update()
    }
}

/// Inserts Firefox's built-in clients (``FirstPartyClients``) into every
/// database, new or upgraded. A client an operator already registered by
/// hand with the same id is left as it is.
///
/// Plain SQL naming the columns as they are at this migration, not the
/// model, so that columns added later cannot break it on a new database.
struct CreateFirstPartyClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = sqlDatabase(tx)
            for client in FirstPartyClients.all {
                try await sql.raw("""
                    INSERT INTO oauth_clients (id, name, redirect_uris, image_uri, trusted, public_client, allowed_scopes, \
                    webhook_url, jwt_access_tokens, secret_hash, previous_secret_hash, created_at, owner_uid, \
                    registered_in_console, disabled) VALUES (\(bind: client.id.hex), \(bind: client.name), \
                    \(bind: client.redirectURIs), NULL, \(bind: client.trusted), \(bind: client.publicClient), \
                    \(bind: client.allowedScopes), NULL, \(bind: false), NULL, NULL, \(bind: Date()), NULL, \(bind: false), \
                    \(bind: false)) ON CONFLICT (id) DO NOTHING
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = sqlDatabase(database)
        for client in FirstPartyClients.all {
            try await sql.raw("DELETE FROM oauth_clients WHERE id = \(bind: client.id.hex)").run()
        }
    }
}
