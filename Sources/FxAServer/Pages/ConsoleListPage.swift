import FxACore
import FxAStore
import Foundation

/// `/console`: the OAuth clients the signed-in user registered, and the
/// way to register one. What an RP developer needs to start is here too:
/// where discovery is.
struct ConsoleListPage {
    let clients: [OAuthClientRecord]
    let publicURL: PublicBaseURL
    let notice: String?

    static let contentSecurityPolicy = SettingsPage.contentSecurityPolicy

    func render() -> String {
        let rows = clients.map { client -> String in
            let kind = client.publicClient ? "Public" : "Confidential"
            return """
                <li class="client">
                <h2><a href="\(WebPagePaths.console)/clients/\(client.id.hex)">\(HTML.escape(client.name))</a></h2>
                <p class="muted">\(kind) · client_id <code>\(client.id.hex)</code>\(client.trusted ? " · trusted" : "")</p>
                </li>
                """
        }.joined()
        let list = clients.isEmpty
            ? #"<p class="muted">You have not registered an app yet.</p>"# : #"<ul class="clients">\#(rows)</ul>"#
        return HTML.document(title: "Developer console", body: """
            <div class="card wide">
            <header><h1>Your apps</h1></header>
            \(notice.map { #"<p class="notice" role="status">\#(HTML.escape($0))</p>"# } ?? "")
            <p>Apps that sign their users in with this server through OAuth 2.0 and OpenID Connect.
            Discovery: <code>\(HTML.escape(publicURL.appending("/.well-known/openid-configuration")))</code></p>
            \(list)
            <p><a class="button" href="\(WebPagePaths.console)/new">Register an app</a></p>
            <p><a href="\(WebPagePaths.settings)">Back to account settings</a></p>
            </div>
            """)
    }
}
