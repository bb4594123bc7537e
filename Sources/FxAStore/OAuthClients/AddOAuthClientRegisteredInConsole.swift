import FluentKit
import SQLKit

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
            try await tx.schema(OAuthClientModel.schema)
                .field("registered_in_console", .bool, .required, .sql(.default(false)))
                .update()
            try await sqlDatabase(tx).raw("""
                UPDATE oauth_clients SET registered_in_console = \(bind: true) WHERE owner_uid IS NOT NULL
                """).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientModel.schema).deleteField("registered_in_console").update()
    }
}
