import FluentKit

/// Creates `verification_codes`.
struct CreateVerificationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VerificationCodeRow.table)
            .field("key", .string, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("purpose", .string, .required)
            .field("code_hash", .data, .required)
            .field("expires_at", .datetime, .required)
            .field("failed_attempts", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VerificationCodeRow.table).delete()
    }
}
