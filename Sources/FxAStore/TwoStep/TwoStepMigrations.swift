import FluentKit
import SQLKit

/// Creates `totp_secrets`, one row per account.
struct CreateTOTPSecrets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TOTPRow.table)
            .field("uid", .string, .identifier(auto: false))
            .field("secret", .data, .required)
            .field("enrollment", .string, .required)
            .field("created_at", .datetime, .required)
            .field("setup_verified_at", .datetime)
            .field("enabled_at", .datetime)
            .field("last_used_step", .int64)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TOTPRow.table).delete()
    }
}

/// Adds `setup_session_hash` to `totp_secrets`: the session a pending
/// setup belongs to.
struct AddTOTPSetupSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TOTPRow.table).field("setup_session_hash", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TOTPRow.table).deleteField("setup_session_hash").update()
    }
}

/// Adds `failed_codes` and `locked_until` to `totp_secrets`: the count of
/// wrong codes since the last good one, and the lock it led to, kept in
/// the database so a restart or another instance does not reset them.
struct AddTOTPFailedCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(TOTPRow.table).field("failed_codes", .int64, .required, .sql(.default(0))).update()
        try await database.schema(TOTPRow.table).field("locked_until", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TOTPRow.table).deleteField("locked_until").update()
        try await database.schema(TOTPRow.table).deleteField("failed_codes").update()
    }
}

/// Creates `recovery_codes`: an account's unused backup codes, keyed by
/// account and hash.
struct CreateRecoveryCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RecoveryCodeRow.table)
            .field("uid", .string, .required)
            .field("code_hash", .data, .required)
            .compositeIdentifier(over: "uid", "code_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RecoveryCodeRow.table).delete()
    }
}
