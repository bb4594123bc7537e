import FxACore
import Foundation

/// `/settings/clients`, "Devices & apps": every relying party that holds
/// tokens for the account, with the icon it registered, what it may do and
/// when it last used its access, and a button that destroys its tokens.
///
/// One row per app: signing out of an app here deletes every token it
/// holds for the account (its refresh tokens and the access tokens issued
/// with them), so no leftover access token keeps it listed or working.
struct ConnectedClientsPage {
    /// One row to show.
    struct Entry {
        var clientID: String
        var name: String
        var imageURI: String?
        var scopes: [String]
        var lastUsed: Date
    }

    let entries: [Entry]
    let csrfToken: String
    let notice: String?

    /// Our style, and icons from the https origins the listed clients registered.
    var contentSecurityPolicy: String {
        let origins = Set(entries.compactMap { SigninPage.imageOrigin($0.imageURI) }).sorted()
        let images = (["'self'"] + origins).joined(separator: " ")
        return "default-src 'none'; style-src 'self'; img-src \(images); form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    func render() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        // Typed: an untyped interpolated literal here can resolve to another
        // string-interpolation type in scope (SQLKit's SQLQueryString).
        let rows = entries.map { entry -> String in
            let icon = SigninPage.imageOrigin(entry.imageURI) != nil
                ? #"<img src="\#(HTML.escape(entry.imageURI ?? ""))" alt="" width="40" height="40">"# : ""
            let scopes = entry.scopes.map { "<li>\(HTML.escape(SigninPage.describe($0)))</li>" }.joined()
            return """
                <li class="client">
                <header>\(icon)<h2>\(HTML.escape(entry.name))</h2></header>
                <ul>\(scopes)</ul>
                <p class="muted">Last used \(formatter.string(from: entry.lastUsed))</p>
                <form method="post" action="/settings/clients/destroy">
                <input type="hidden" name="csrf_token" value="\(HTML.escape(csrfToken))">
                <input type="hidden" name="client_id" value="\(HTML.escape(entry.clientID))">
                <button type="submit" class="secondary" aria-label="Sign out of \(HTML.escape(entry.name))">Sign out</button>
                </form>
                </li>
                """
        }.joined()
        let list = entries.isEmpty ? #"<p class="muted">No app holds access to your account.</p>"# : #"<ul class="clients">\#(rows)</ul>"#
        let notice = notice.map { #"<p class="notice" role="status">\#(HTML.escape($0))</p>"# } ?? ""
        return HTML.document(title: "Devices & apps", body: """
            <div class="card">
            <header><h1>Devices &amp; apps</h1></header>
            \(notice)
            \(list)
            <p><a href="\(WebPagePaths.settings)">Back to account settings</a></p>
            </div>
            """)
    }
}
