import FluentKit
import Foundation

/// The `dev_mail` table: messages of the development mailbox.
final class MailModel: Model, @unchecked Sendable {
    static let schema = "dev_mail"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "mailbox") var mailbox: String
    @Field(key: "message") var message: String
    @Field(key: "sent_at") var sentAt: Date

    init() {}

    init(_ message: MailMessage) throws {
        id = message.id
        mailbox = message.mailbox
        self.message = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        sentAt = message.sentAt
    }

    func decoded() throws -> MailMessage {
        try JSONDecoder().decode(MailMessage.self, from: Data(message.utf8))
    }
}

/// Creates `dev_mail`.
struct CreateDevMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MailModel.schema)
            .field("id", .uuid, .identifier(auto: false))
            .field("mailbox", .string, .required)
            .field("message", .string, .required)
            .field("sent_at", .datetime, .required)
            .create()
        try await sqlDatabase(database).create(index: "dev_mail_mailbox_idx").on(MailModel.schema).column("mailbox").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MailModel.schema).delete()
    }
}

/// ``MailboxStore`` through Fluent.
public struct FluentMailboxStore: MailboxStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func deliver(_ message: MailMessage) async throws {
        try await MailModel(message).create(on: database.handle())
    }

    public func messages(mailbox: String) async throws -> [MailMessage] {
        try await MailModel.query(on: database.handle())
            .filter(\.$mailbox == mailbox.lowercased())
            .sort(\.$sentAt, .descending)
            .all()
            .map { try $0.decoded() }
    }

    public func recent(limit: Int) async throws -> [MailMessage] {
        try await MailModel.query(on: database.handle())
            .sort(\.$sentAt, .descending)
            .limit(limit)
            .all()
            .map { try $0.decoded() }
    }

    public func clear(mailbox: String) async throws {
        try await MailModel.query(on: database.handle()).filter(\.$mailbox == mailbox.lowercased()).delete()
    }
}
