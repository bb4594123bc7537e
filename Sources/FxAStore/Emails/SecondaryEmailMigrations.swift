import FluentKit
import FxACore
import Logging
import SQLKit

/// `account_emails`: secondary addresses, one row per account and address.
/// Not unique on the address alone: unverified claims may coexist (see
/// ``SecondaryEmailStore``); the store keeps verified ones unique.
struct CreateAccountEmails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SecondaryEmailRow.table)
            .field("id", .string, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("email", .string, .required)
            .field("normalized_email", .string, .required)
            .field("verified", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("verified_at", .datetime)
            .unique(on: "uid", "normalized_email", name: "account_emails_uid_email_key")
            .create()
        try await sqlDatabase(database).create(index: "account_emails_email").on(SecondaryEmailRow.table)
            .column("normalized_email").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SecondaryEmailRow.table).delete()
    }
}

/// `accounts.primary_email`, and the partial unique index that lets only
/// one account verify a given secondary address.
struct AddAccountPrimaryEmail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountRow.table).field("primary_email", .string).update()
        try await sqlDatabase(database).raw("""
            CREATE UNIQUE INDEX account_emails_verified_key ON account_emails (normalized_email) WHERE verified
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await sqlDatabase(database).raw("DROP INDEX account_emails_verified_key").run()
        try await database.schema(AccountRow.table).deleteField("primary_email").update()
    }
}

/// Rewrites the lookup key of addresses stored before keys were in Unicode
/// Normalization Form KC (``EmailAddress/normalize(_:)``), in `accounts` and
/// `account_emails`, so an address typed in any form finds its account.
///
/// Only keys that change are written. A key that would collide with
/// another row's, in either table (two accounts created from two spellings
/// of one address before this migration), is left as it was and logged
/// for the operator: merging accounts is a person's decision, and both
/// keep working under the spelling they were created with.
struct RenormalizeEmailKeys: AsyncMigration {
    private static let page = 1000

    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = sqlDatabase(tx)
            try await rewrite(table: "accounts", key: "uid", typed: "COALESCE(primary_email, email)", on: sql, logger: tx.logger)
            try await rewrite(table: "account_emails", key: "id", typed: "email", on: sql, logger: tx.logger)
        }
    }

    func revert(on database: any Database) async throws {}

    private func rewrite(table: String, key: String, typed: String, on sql: any SQLDatabase, logger: Logger) async throws {
        var after = ""
        while true {
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: key) AS row_key, \(unsafeRaw: typed) AS typed, normalized_email FROM \(unsafeRaw: table) \
                WHERE \(unsafeRaw: key) > \(bind: after) ORDER BY \(unsafeRaw: key) LIMIT \(unsafeRaw: String(Self.page))
                """).all()
            for row in rows {
                let current = try row.decode(column: "normalized_email", as: String.self)
                // Keys of ASCII addresses are already what normalize makes.
                guard current.utf8.contains(where: { $0 >= 0x80 }) else { continue }
                let rowKey = try row.decode(column: "row_key", as: String.self)
                let wanted = EmailAddress.normalize(try row.decode(column: "typed", as: String.self))
                guard Array(wanted.utf8) != Array(current.utf8) else { continue }
                let taken = try await sql.raw("""
                    SELECT 1 AS n FROM accounts WHERE normalized_email = \(bind: wanted) \
                    UNION ALL SELECT 1 AS n FROM account_emails WHERE normalized_email = \(bind: wanted)
                    """).first() != nil
                if taken {
                    logger.warning("email key left unnormalized: another row already has its normalized form", metadata: [
                        "table": .string(table), "row": .string(rowKey),
                    ])
                    continue
                }
                try await sql.raw("""
                    UPDATE \(unsafeRaw: table) SET normalized_email = \(bind: wanted) WHERE \(unsafeRaw: key) = \(bind: rowKey)
                    """).run()
            }
            guard rows.count == Self.page, let last = rows.last else { return }
            after = try last.decode(column: "row_key", as: String.self)
        }
    }
}
