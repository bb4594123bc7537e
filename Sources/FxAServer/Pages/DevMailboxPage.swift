import FxAStore
import Foundation

/// `/__mail__`, the development mailbox as a page: the mail this server
/// sent, newest first, so a developer can read a code without SMTP.
/// Served in development mode only (see ``DevMailboxController``).
struct DevMailboxPage: RenderedPage {
    static let template = PageTemplate.devMailbox

    struct Context: Encodable, Sendable {
        let title = "Development mailbox"
        let isEmpty: Bool
        let messages: [Message]
    }

    struct Message: Encodable, Sendable {
        let subject: String
        let to: String
        let sentAt: String
        /// Sorted by name.
        let headers: [Header]
        let text: String
    }

    struct Header: Encodable, Sendable {
        let name: String
        let value: String
    }

    let messages: [MailMessage]
    var contentSecurityPolicy: ContentSecurityPolicy { .textPage }

    func context() -> Context {
        let formatter = ISO8601DateFormatter()
        return Context(isEmpty: messages.isEmpty, messages: messages.map { message in
            Message(
                subject: message.subject, to: message.to, sentAt: formatter.string(from: message.sentAt),
                headers: message.headers.sorted { $0.key < $1.key }.map { Header(name: $0.key, value: $0.value) },
                text: message.text)
        })
    }
}
