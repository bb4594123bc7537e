import FxACore
import FxAStore
import Foundation

/// The page shown once after registering a client or rotating its secret:
/// the client id and, for a confidential client, the secret, which is
/// stored only as a hash and so can never be shown again. Sent with
/// `Cache-Control: no-store` so no cache keeps it either.
struct ConsoleSecretPage {
    let client: OAuthClientRecord
    let secret: OAuthClientSecret?
    /// Whether the secret replaced an older one (a rotation).
    let rotated: Bool

    static let contentSecurityPolicy = SettingsPage.contentSecurityPolicy

    func render() -> String {
        let secretMarkup = secret.map { secret in
            """
            <label for="client_secret">Client secret</label>
            <input id="client_secret" readonly value="\(secret.hex)" autocomplete="off" spellcheck="false">
            <p class="notice" role="status">Copy the secret now and keep it on your server: it is shown only this once.\(rotated ? " The previous secret keeps working until you forget it on the app's page, so you can deploy the new one first." : "")</p>
            """
        } ?? #"<p class="muted">A public client has no secret: it signs users in with PKCE.</p>"#
        return HTML.document(title: rotated ? "New client secret" : "App registered", body: """
            <div class="card wide">
            <header><h1>\(rotated ? "New secret for" : "Registered") \(HTML.escape(client.name))</h1></header>
            <label for="client_id">Client ID</label>
            <input id="client_id" readonly value="\(client.id.hex)" spellcheck="false">
            \(secretMarkup)
            <p><a href="\(WebPagePaths.console)/clients/\(client.id.hex)">Go to the app's page</a></p>
            </div>
            """)
    }
}
