import FxACore
import FxAStore
import Foundation

/// `/settings`: the account at a glance, the display name, Devices & apps,
/// and signing out. Plain forms (no script): each posts with the session's
/// CSRF token and comes back here.
struct SettingsPage {
    let account: AccountRecord
    let displayName: String?
    let csrfToken: String
    /// A confirmation to show after a change (`nil`: none).
    let notice: String?

    /// Our style only; forms post to us.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func render() -> String {
        let csrf = #"<input type="hidden" name="csrf_token" value="\#(HTML.escape(csrfToken))">"#
        let notice = notice.map { #"<p class="notice" role="status">\#(HTML.escape($0))</p>"# } ?? ""
        return HTML.document(title: "Account settings", body: """
            <div class="card">
            <header><h1>Account settings</h1></header>
            \(notice)
            <p>Signed in as <strong>\(HTML.escape(account.primaryEmail))</strong></p>
            <form method="post" action="/settings/display_name">
            \(csrf)
            <label for="display_name">Display name</label>
            <input id="display_name" name="display_name" maxlength="256" autocomplete="nickname" value="\(HTML.escape(displayName ?? ""))">
            <p class="muted">Apps you signed in to with this account see this name.</p>
            <button type="submit">Save</button>
            </form>
            <h2>Devices &amp; apps</h2>
            <p><a href="\(WebPagePaths.clients)">See the apps that hold your data, and sign out of them</a></p>
            <form method="post" action="/settings/signout">
            \(csrf)
            <button type="submit" class="secondary">Sign out</button>
            </form>
            </div>
            """)
    }
}
