import FxACore
import FxAStore
import Vapor

/// The development mailbox over HTTP: the restmail API FxA's test tooling
/// reads (`GET /mail/<localpart>`, newest first, header names lowercased;
/// `DELETE /mail/<localpart>`), and a page listing recent mail at
/// `/__mail__`. Registered only when the development mailbox is on.
struct DevMailboxController: RouteCollection {
    let store: any MailboxStore

    func boot(routes: any RoutesBuilder) throws {
        routes.get("mail", ":mailbox", use: list)
        routes.delete("mail", ":mailbox", use: clear)
        routes.get("__mail__", use: page)
    }

    /// One restmail message.
    struct RestmailMessage: Content {
        var to: [RestmailAddress]
        var subject: String
        var text: String
        var headers: [String: String]
        var receivedAt: String
    }

    struct RestmailAddress: Content {
        var address: String
    }

    @Sendable func list(_ request: Request) async throws -> [RestmailMessage] {
        let mailbox = try mailboxName(request)
        let formatter = ISO8601DateFormatter()
        return try await store.messages(mailbox: mailbox).map { message in
            RestmailMessage(
                to: [RestmailAddress(address: message.to)], subject: message.subject, text: message.text,
                headers: Dictionary(uniqueKeysWithValues: message.headers.map { ($0.key.lowercased(), $0.value) }),
                receivedAt: formatter.string(from: message.sentAt))
        }
    }

    @Sendable func clear(_ request: Request) async throws -> EmptyJSON {
        try await store.clear(mailbox: try mailboxName(request))
        return EmptyJSON()
    }

    /// The last 50 messages as a page (``DevMailboxPage``).
    @Sendable func page(_ request: Request) async throws -> Response {
        try await request.render(DevMailboxPage(messages: try await store.recent(limit: 50)))
    }

    /// restmail uses the local part; a full address is accepted too.
    private func mailboxName(_ request: Request) throws -> String {
        guard let raw = request.parameters.get("mailbox"), !raw.isEmpty, raw.count <= 255 else {
            throw FxAError.invalidParameter(["mailbox"], source: "params")
        }
        return String(raw.lowercased().split(separator: "@", maxSplits: 1).first ?? "")
    }
}
