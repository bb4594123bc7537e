import FluentKit
import SQLKit

/// Adds `accounts.keys_changed_at` (when kB last changed, FxA's
/// `keysChangedAt`) and fills it for existing rows with `verifier_set_at`,
/// the latest moment their kB can have changed. No scoped key was handed
/// out before this column existed, so no relying party holds a `kid` that
/// the backfill could contradict.
struct AddAccountKeysChangedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).field("keys_changed_at", .datetime).update()
        try await sqlDatabase(database).raw("UPDATE accounts SET keys_changed_at = verifier_set_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("keys_changed_at").update()
    }
}
