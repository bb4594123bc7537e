import Foundation

/// An email as the development mailbox keeps it: enough for a person to read
/// at `/__mail__` and for FxA's test tooling to read over the restmail API.
public struct MailMessage: Sendable, Equatable, Codable {
    public var id: UUID
    public var to: String
    public var subject: String
    /// Header names as sent (`X-Verify-Code`, `X-Uid`, ...).
    public var headers: [String: String]
    public var text: String
    public var sentAt: Date

    public init(id: UUID = UUID(), to: String, subject: String, headers: [String: String], text: String, sentAt: Date) {
        self.id = id
        self.to = to
        self.subject = subject
        self.headers = headers
        self.text = text
        self.sentAt = sentAt
    }

    /// The restmail mailbox name: the local part, lowercased.
    public var mailbox: String {
        String(to.lowercased().split(separator: "@", maxSplits: 1).first ?? "")
    }
}

/// The development mailbox's storage.
public protocol MailboxStore: Sendable {
    func deliver(_ message: MailMessage) async throws
    /// Messages for `mailbox` (a local part), newest first.
    func messages(mailbox: String) async throws -> [MailMessage]
    /// Every message, newest first, at most `limit`.
    func recent(limit: Int) async throws -> [MailMessage]
    func clear(mailbox: String) async throws
}
