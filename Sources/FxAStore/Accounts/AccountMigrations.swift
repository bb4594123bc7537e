import FluentKit
import SQLKit

/// Creates `accounts` with a unique index on the normalised email.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountRow.table)
            .field("uid", .string, .identifier(auto: false))
            .field("email", .string, .required)
            .field("normalized_email", .string, .required)
            .field("email_verified", .bool, .required)
            .field("ka", .data, .required)
            .field("auth_salt", .data, .required)
            .field("verify_hash", .data, .required)
            .field("wrap_wrap_kb", .data, .required)
            .field("client_salt", .string)
            .field("auth_salt_v2", .data)
            .field("verify_hash_v2", .data)
            .field("wrap_wrap_kb_v2", .data)
            .field("created_at", .datetime, .required)
            .field("verifier_set_at", .datetime, .required)
            .unique(on: "normalized_email", name: "accounts_normalized_email_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountRow.table).delete()
    }
}

/// Adds `accounts.keys_changed_at` (when kB last changed, FxA's
/// `keysChangedAt`) and fills it for existing rows with `verifier_set_at`,
/// the latest moment their kB can have changed. No scoped key was handed
/// out before this column existed, so no relying party holds a `kid` that
/// the backfill could contradict.
///
/// Both steps run in one transaction (DDL is transactional on SQLite and
/// PostgreSQL; Fluent's migrator does not wrap a migration in one), so a
/// crash between them cannot leave a column that the next start's retry
/// of this migration would fail to add again.
///
/// Rows that an older binary writes during a rolling upgrade have no value;
/// they read as `verifier_set_at`, and the first credential change keeps
/// that value (``SQLAccountStore/replaceCredentials``).
struct AddAccountKeysChangedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(AccountRow.table).field("keys_changed_at", .datetime).update()
            try await sqlDatabase(tx).raw("UPDATE accounts SET keys_changed_at = verifier_set_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountRow.table).deleteField("keys_changed_at").update()
    }
}
