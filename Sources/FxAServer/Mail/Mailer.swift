import FxAStore

/// Sends the emails of the account flows (verification codes, one-time
/// codes). Codes travel both in the text and in FxA's `X-*` headers, which
/// FxA's test tooling reads.
protocol Mailer: Sendable {
    func send(_ message: MailMessage) async throws
}

/// The built-in development mailbox: messages are kept in the database,
/// listed at `/__mail__` and served over the restmail API, so a local
/// server needs no SMTP to be used end to end.
struct DevelopmentMailbox: Mailer {
    let store: any MailboxStore

    func send(_ message: MailMessage) async throws {
        try await store.deliver(message)
    }
}
