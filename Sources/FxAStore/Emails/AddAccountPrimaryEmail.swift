import FluentKit
import SQLKit

/// `accounts.primary_email`, and the partial unique index that lets only
/// one account verify a given secondary address.
struct AddAccountPrimaryEmail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("accounts").field("primary_email", .string).update()
        try await sqlDatabase(database).raw("""
            CREATE UNIQUE INDEX account_emails_verified_key ON account_emails (normalized_email) WHERE verified
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await sqlDatabase(database).raw("DROP INDEX account_emails_verified_key").run()
        try await database.schema("accounts").deleteField("primary_email").update()
    }
}
