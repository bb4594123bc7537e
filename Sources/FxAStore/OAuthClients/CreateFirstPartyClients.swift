import FluentKit
import Foundation
import SQLKit

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
