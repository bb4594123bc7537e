import Foundation

/// A row of `dev_mail`: one message of the development mailbox, kept whole
/// as JSON (``MailMessage``) beside the columns it is looked up by.
struct DevMailRow: TableRow {
    static let table = "dev_mail"

    var id: UUID
    var mailbox: String
    var message: String
    var sentAt: Date

    init(_ message: MailMessage) throws {
        id = message.id
        mailbox = message.mailbox
        self.message = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
        sentAt = message.sentAt
    }

    /// The stored message.
    func record() throws -> MailMessage {
        try JSONDecoder().decode(MailMessage.self, from: Data(message.utf8))
    }
}
