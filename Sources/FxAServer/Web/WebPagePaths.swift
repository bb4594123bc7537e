import Foundation

/// The paths of the server's own signed-in pages: every redirect the web
/// code makes goes to one of these fixed local paths, never to a URL taken
/// from the request.
enum WebPagePaths {
    static let signin = "/signin"
    static let settings = "/settings"
    static let clients = "/settings/clients"
    static let console = "/console"
    /// Where a sign-in may return to.
    static let signedIn: Set<String> = [settings, clients, console]

    /// The sign-in page, returning to `next` (one of ``signedIn``).
    static func signin(next: String) -> String {
        signin + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}
