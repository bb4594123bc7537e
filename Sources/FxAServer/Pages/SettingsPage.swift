import FxACore
import FxAStore
import Foundation

/// `/settings`: the account at a glance and every setting a user changes
/// themselves: display name, avatar, email addresses, password, Devices &
/// apps, the developer console, deleting the account, signing out.
///
/// Settings that do not need the password are plain forms (no script),
/// each posting with the session's CSRF token and coming back here. The
/// password change and account deletion need the password, which only the
/// page's script may touch (``SettingsScript``): without JavaScript those
/// two forms stay hidden, and the page says why.
struct SettingsPage {
    let account: AccountRecord
    let displayName: String?
    /// The avatar's URL (uploaded or the default monogram), on our origin.
    let avatarURL: String
    let hasUploadedAvatar: Bool
    /// Primary first, as `/v1/recovery_emails` lists them.
    let emails: [RecoveryEmailResponse]
    let csrfToken: String
    /// A confirmation or refusal to show after a change (`nil`: none).
    let notice: String?

    /// Our script, style, images and API only; forms post to us.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// What the script needs: the address the password is salted with, and
    /// the CSRF token for its calls. No secret is in it.
    struct ScriptData: Encodable {
        var hashEmail: String
        var primaryEmail: String
        var csrfToken: String
    }

    func render() throws -> String {
        let csrf = #"<input type="hidden" name="csrf_token" value="\#(HTML.escape(csrfToken))">"#
        let notice = notice.map { #"<p class="notice" role="status">\#(HTML.escape($0))</p>"# } ?? ""
        let data = ScriptData(hashEmail: account.email, primaryEmail: account.primaryEmail, csrfToken: csrfToken)
        return HTML.document(title: "Account settings", body: """
            <div class="card">
            <header><img class="avatar" src="\(HTML.escape(avatarURL))" alt="Your profile picture" width="48" height="48"><h1>Account settings</h1></header>
            \(notice)
            <p>Signed in as <strong>\(HTML.escape(account.primaryEmail))</strong></p>
            <noscript><p class="error">Changing your password and deleting your account need JavaScript: your password is protected in your browser and never sent to the server.</p></noscript>

            <h2>Display name</h2>
            <form method="post" action="/settings/display_name">
            \(csrf)
            <label for="display_name">Your name</label>
            <input id="display_name" name="display_name" maxlength="256" autocomplete="nickname" value="\(HTML.escape(displayName ?? ""))">
            <p class="muted">Apps you signed in to with this account see this name.</p>
            <button type="submit">Save name</button>
            </form>

            <h2>Profile picture</h2>
            <form method="post" action="/settings/avatar" enctype="multipart/form-data">
            \(csrf)
            <label for="avatar">Choose a picture (PNG, JPEG, GIF or WebP, up to 1 MB)</label>
            <input id="avatar" name="avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp" required>
            <button type="submit">Upload picture</button>
            </form>
            \(hasUploadedAvatar ? """
            <form method="post" action="/settings/avatar/remove">
            \(csrf)
            <button type="submit" class="secondary">Remove picture</button>
            </form>
            """ : "")

            <h2>Email addresses</h2>
            \(emailList(csrf: csrf))

            <h2>Password</h2>
            <form id="password-change" hidden>
            <label for="old-password">Current password</label>
            <input id="old-password" type="password" autocomplete="current-password" required>
            <label for="new-password">New password</label>
            <input id="new-password" type="password" autocomplete="new-password" minlength="8" required aria-describedby="new-password-rules">
            <p id="new-password-rules" class="muted">At least 8 characters, and not your email address.</p>
            <label for="new-password-confirm">Repeat the new password</label>
            <input id="new-password-confirm" type="password" autocomplete="new-password" required>
            <button type="submit">Change password</button>
            <p id="password-message" class="error" role="alert" aria-live="polite"></p>
            </form>

            <h2>Devices &amp; apps</h2>
            <p><a href="\(WebPagePaths.clients)">See the apps that hold your data, and sign out of them</a></p>
            <h2>Developers</h2>
            <p><a href="\(WebPagePaths.console)">Register and manage the apps you build (OAuth clients)</a></p>

            <h2>Delete account</h2>
            <form id="delete-account" hidden>
            <p>This deletes your account and signs you out of every app. The apps are told, so they can delete what they hold about you. It cannot be undone.</p>
            <label for="delete-password">Password</label>
            <input id="delete-password" type="password" autocomplete="current-password" required>
            <label class="check"><input id="delete-confirm" type="checkbox"> I understand that this cannot be undone</label>
            <button type="submit" class="danger">Delete account</button>
            <p id="delete-message" class="error" role="alert" aria-live="polite"></p>
            </form>

            <form method="post" action="/settings/signout">
            \(csrf)
            <button type="submit" class="secondary">Sign out</button>
            </form>
            </div>
            <script type="application/json" id="settings-data">\(try HTML.scriptJSON(data))</script>
            <script src="/assets/onepw.js"></script>
            <script src="/assets/settings.js"></script>
            """)
    }

    /// The addresses with what can be done to each (an unconfirmed one
    /// takes its code here), and the form to add one.
    private func emailList(csrf: String) -> String {
        let rows = emails.enumerated().map { index, email -> String in
            let address = HTML.escape(email.email)
            let field = #"<input type="hidden" name="email" value="\#(address)">"#
            let state = email.isPrimary ? "Primary" : email.verified ? "Confirmed" : "Waiting for the code we emailed"
            var actions = ""
            if !email.isPrimary, !email.verified {
                actions += """
                    <form method="post" action="/settings/emails/verify">\(csrf)\(field)
                    <label for="email-code-\(index)">Code sent to \(address)</label>
                    <input id="email-code-\(index)" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="32" required>
                    <button type="submit">Confirm address</button>
                    </form>
                    <form method="post" action="/settings/emails/resend">\(csrf)\(field)<button type="submit" class="secondary" aria-label="Send a new code to \(address)">Send a new code</button></form>
                    """
            }
            if !email.isPrimary, email.verified {
                actions += """
                    <form method="post" action="/settings/emails/primary">\(csrf)\(field)<button type="submit" class="secondary" aria-label="Make \(address) your primary address">Make primary</button></form>
                    """
            }
            if !email.isPrimary {
                actions += """
                    <form method="post" action="/settings/emails/remove">\(csrf)\(field)<button type="submit" class="secondary" aria-label="Remove \(address)">Remove</button></form>
                    """
            }
            return #"<li class="email"><strong>\#(address)</strong> <span class="muted">\#(state)</span><div class="actions">\#(actions)</div></li>"#
        }.joined()
        return """
            <ul class="emails">\(rows)</ul>
            <form method="post" action="/settings/emails/add">
            \(csrf)
            <label for="new-email">Add an email address</label>
            <input id="new-email" name="email" type="email" autocomplete="email" maxlength="255" required>
            <p class="muted">We email it a code to confirm it. A confirmed address can become your primary address: where mail goes, and the address apps see.</p>
            <button type="submit">Add address</button>
            </form>
            """
    }
}
