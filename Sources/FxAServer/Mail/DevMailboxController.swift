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

    /// A plain HTML list of the last 50 messages, escaped.
    @Sendable func page(_ request: Request) async throws -> Response {
        let messages = try await store.recent(limit: 50)
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development mailbox</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
            <h1>Development mailbox</h1><p>Mail sent by this server (development mode only).</p>
            """
        if messages.isEmpty { html += "<p>No mail yet.</p>" }
        for message in messages {
            html += "<article><h2>\(escape(message.subject))</h2><p>To: \(escape(message.to)) — \(message.sentAt)</p><dl>"
            for (name, value) in message.headers.sorted(by: { $0.key < $1.key }) {
                html += "<dt>\(escape(name))</dt><dd><code>\(escape(value))</code></dd>"
            }
            html += "</dl><pre>\(escape(message.text))</pre></article><hr>"
        }
        html += "</body></html>"
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .contentSecurityPolicy, value: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    /// restmail uses the local part; a full address is accepted too.
    private func mailboxName(_ request: Request) throws -> String {
        guard let raw = request.parameters.get("mailbox"), !raw.isEmpty, raw.count <= 255 else {
            throw FxAError.invalidParameter(["mailbox"], source: "params")
        }
        return String(raw.lowercased().split(separator: "@", maxSplits: 1).first ?? "")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
