import FluentKit

/// Creates `recovery_keys`, one row per account.
struct CreateRecoveryKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RecoveryKeyRow.table)
            .field("uid", .string, .identifier(auto: false))
            .field("id_hash", .data, .required)
            .field("recovery_data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("enabled", .bool, .required)
            .field("hint", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RecoveryKeyRow.table).delete()
    }
}
