import FxACore
import Foundation

/// The client form's fields, shared by registering a client and editing
/// one. Every value is escaped: they are what the developer typed.
enum ConsoleFormFields {
    /// The fields for `form`; the client type can be chosen only when
    /// registering (`creating`), since a confidential client's secret and a
    /// public client's PKCE-only sign-in do not convert into each other.
    static func markup(_ form: ConsoleClientForm, creating: Bool) -> String {
        let type = creating ? """
            <fieldset>
            <legend>Client type</legend>
            <label class="check"><input type="radio" name="client_type" value="confidential"\(form.publicClient ? "" : " checked")> Confidential: a server that keeps a client secret</label>
            <label class="check"><input type="radio" name="client_type" value="public"\(form.publicClient ? " checked" : "")> Public: a native or single-page app (no secret; PKCE required)</label>
            </fieldset>
            """ : ""
        return """
            <label for="name">App name</label>
            <input id="name" name="name" required maxlength="256" value="\(HTML.escape(form.name))" aria-describedby="name-help">
            <p id="name-help" class="muted">People see it when they sign in and in Devices &amp; apps.</p>
            <label for="redirect_uris">Redirect URIs, one per line</label>
            <textarea id="redirect_uris" name="redirect_uris" rows="3" required aria-describedby="redirect-help">\(HTML.escape(form.redirectURIs.joined(separator: "\n")))</textarea>
            <p id="redirect-help" class="muted">Exact matches only. https, or http on 127.0.0.1 or localhost while you develop.</p>
            <label for="image_uri">Icon URL (optional)</label>
            <input id="image_uri" name="image_uri" type="url" maxlength="2048" value="\(HTML.escape(form.imageURI ?? ""))" aria-describedby="icon-help">
            <p id="icon-help" class="muted">Shown over https only.</p>
            <label for="webhook_url">Webhook URL (optional)</label>
            <input id="webhook_url" name="webhook_url" type="url" maxlength="2048" value="\(HTML.escape(form.webhookURL ?? ""))" aria-describedby="webhook-help">
            <p id="webhook-help" class="muted">Where we send Security Event Tokens when a user of your app changes their password, email or profile, or deletes their account.</p>
            <label for="scopes">Allowed scopes, separated by spaces</label>
            <input id="scopes" name="scopes" maxlength="2048" value="\(HTML.escape(form.allowedScopes.joined(separator: " ")))" aria-describedby="scopes-help">
            <p id="scopes-help" class="muted">Users are asked to allow each one. Until the operator trusts your app, it can be granted only \(OAuthScope.untrustedAllowlist.map(\.description).sorted().joined(separator: ", ")).</p>
            \(type)
            <label class="check"><input type="checkbox" name="jwt_access_tokens"\(form.jwtAccessTokens ? " checked" : "")> Issue access tokens as JWTs (RFC 9068)</label>
            """
    }

    /// `/console/new`: the form to register a client, with `message` from a
    /// refused attempt.
    static func newClientPage(_ form: ConsoleClientForm, csrfToken: String, message: String?) -> String {
        HTML.document(title: "Register an app", body: """
            <div class="card wide">
            <header><h1>Register an app</h1></header>
            \(message.map { #"<p class="error" role="alert">\#(HTML.escape($0))</p>"# } ?? "")
            <form method="post" action="\(WebPagePaths.console)/new">
            <input type="hidden" name="csrf_token" value="\(HTML.escape(csrfToken))">
            \(markup(form, creating: true))
            <button type="submit">Register app</button>
            </form>
            <p><a href="\(WebPagePaths.console)">Back to your apps</a></p>
            </div>
            """)
    }
}
