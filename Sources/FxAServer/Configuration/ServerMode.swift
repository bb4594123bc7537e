/// Whether the server runs for development or for real users.
///
/// The one behaviour that differs is mail: development keeps every message
/// in the built-in mailbox (the restmail API and `/__mail__` page that FxA's
/// test tooling reads), which would hand anyone who can reach the server
/// every account's codes; production sends by SMTP and serves no mailbox.
public enum ServerMode: String, Sendable, Equatable, CaseIterable {
    case development
    case production
}
