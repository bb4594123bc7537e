import FluentKit

/// Adds `account_clients.disconnected_at`: when the user disconnected the
/// client in Devices & apps (`NULL` while connected). A disconnected client
/// is sent only the account's deletion; authorizing it again clears the
/// column. Existing rows stay connected, which is what they were.
struct AddAccountClientDisconnectedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("account_clients").field("disconnected_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_clients").deleteField("disconnected_at").update()
    }
}
