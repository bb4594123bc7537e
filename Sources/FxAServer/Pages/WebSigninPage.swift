import FxACore
import Foundation

/// `/signin`: signing in to the server's own pages (settings, Devices &
/// apps). The same steps and script as the RP sign-in page; at the end the
/// script exchanges its new session for a web-session cookie instead of
/// asking for an authorization code, and goes to `next`.
struct WebSigninPage: RenderedPage {
    /// A local path under `/settings`, already checked.
    let next: String
    /// Why the user is here again (after deleting the account, or a
    /// password change that could not keep the session), if known.
    var notice: String?

    /// The fixed text for a `?done=`; nothing from the query is shown.
    static func notice(done: String?) -> String? {
        switch done {
        case "deleted": "Your account is deleted."
        case "password": "Your password is changed. Sign in with the new password."
        default: nil
        }
    }

    /// What the page's script needs; no secret is in it.
    struct ScriptData: Encodable {
        var mode = "web"
        var next: String
        var action = "email"
        var clientName = "your account settings"
        var askConsent = false
    }

    /// Our script, style and API only; no images from other origins.
    var contentSecurityPolicy: ContentSecurityPolicy { .scriptedPage }

    /// `next` when it is one of the pages a web session opens, else `/settings`.
    /// Only these exact local paths: never another host, never `//host`.
    static func destination(_ requested: String?) -> String {
        guard let requested, WebPagePaths.signedIn.contains(requested) else { return WebPagePaths.settings }
        return requested
    }

    static let template = PageTemplate.signin

    struct Context: Encodable, Sendable {
        let title = "Sign in to your account"
        let notice: String?
        let scriptData: String
    }

    func context() throws -> Context {
        Context(notice: notice, scriptData: try ScriptJSON.encode(ScriptData(next: next)))
    }
}
