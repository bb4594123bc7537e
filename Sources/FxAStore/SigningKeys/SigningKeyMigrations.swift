import FluentKit
import SQLKit

/// Creates `signing_keys`, with a partial unique index that makes a second
/// current key impossible at the database level (two instances starting at
/// once cannot both install one).
struct CreateSigningKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SigningKeyRow.table)
            .field("kid", .string, .identifier(auto: false))
            .field("pem", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sqlDatabase(database).raw(
            "CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (status) WHERE status = 'current'"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SigningKeyRow.table).delete()
    }
}
