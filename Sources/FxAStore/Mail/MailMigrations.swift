import FluentKit

/// Creates `dev_mail`.
struct CreateDevMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DevMailRow.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("mailbox", .string, .required)
            .field("message", .string, .required)
            .field("sent_at", .datetime, .required)
            .create()
        try await sqlDatabase(database).create(index: "dev_mail_mailbox_idx").on(DevMailRow.table).column("mailbox").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DevMailRow.table).delete()
    }
}
