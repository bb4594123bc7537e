import FluentKit
import SQLKit

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
/// that value (``FluentAccountStore/replaceCredentials``).
struct AddAccountKeysChangedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await tx.schema(AccountModel.schema).field("keys_changed_at", .datetime).update()
            try await sqlDatabase(tx).raw("UPDATE accounts SET keys_changed_at = verifier_set_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("keys_changed_at").update()
    }
}
