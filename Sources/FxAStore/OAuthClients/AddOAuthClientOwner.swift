import FluentKit
import SQLKit

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
            try await tx.schema(OAuthClientModel.schema).field("owner_uid", .string).update()
            try await sqlDatabase(tx).raw("CREATE INDEX oauth_clients_owner ON oauth_clients (owner_uid)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            try await sqlDatabase(tx).raw("DROP INDEX IF EXISTS oauth_clients_owner").run()
            try await tx.schema(OAuthClientModel.schema).deleteField("owner_uid").update()
        }
    }
}
