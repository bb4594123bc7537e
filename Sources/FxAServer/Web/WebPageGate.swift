import FxACore
import FxAStore
import Foundation
import Vapor

/// What every signed-in page and form of the server's own pages checks
/// first (settings, Devices & apps, the developer console): a confirmed web
/// session, and for a form post or a page's API call its CSRF token. Also
/// the responses those pages share, so every one of them redirects only to
/// fixed local paths.
struct WebPageGate: Sendable {
    let sessions: WebSessions
    let publicURL: PublicBaseURL
    /// The pages' sessions meet it: for an account with two-step
    /// authentication, a session that gave the app's code.
    let sessionRule: VerifiedSessionRule

    /// The session of a page view: signed in, with a confirmed sign-in, and
    /// with the second factor when the account has one. A session from
    /// before two-step authentication was turned on signs in again, with
    /// the code, before it may see or change settings.
    func signedIn(_ request: Request) async throws -> WebSessions.Current? {
        guard let current = try await sessions.current(request),
              try await sessionRule.isMet(by: current.token, account: current.account)
        else { return nil }
        return current
    }

    /// What a form post may do.
    enum FormPost {
        /// No (confirmed) web session: sign in first.
        case signedOut
        /// Signed in, but without this session's CSRF token: refused before
        /// anything is done (a cross-site post, or a form from an older session).
        case expired
        case accepted(WebSessions.Current, [String: String])
    }

    /// The session and fields of a form post (`application/x-www-form-urlencoded`).
    /// A body that is not such a form has no CSRF token either, so it is
    /// refused as ``FormPost/expired``.
    func formPost(_ request: Request) async throws -> FormPost {
        guard let current = try await signedIn(request) else { return .signedOut }
        let form = request.headers.contentType == .urlEncodedForm
            ? (try? request.content.decode([String: String].self, as: .urlEncodedForm)) ?? [:] : [:]
        guard WebSessionCookie.checkCSRF(form["csrf_token"], for: current.cookieValue) else { return .expired }
        return .accepted(current, form)
    }

    /// The session of a JSON call made by one of our pages' scripts: from
    /// our origin (a browser always sends `Origin` on a POST from script),
    /// with the session's CSRF token in `X-CSRF-Token`. Errors are FxA's
    /// JSON errors, since a script reads them.
    func scriptCall(_ request: Request) async throws -> WebSessions.Current {
        guard request.headers.first(name: .origin) == publicURL.origin else { throw FxAError.crossOriginRefused() }
        guard let current = try await signedIn(request) else { throw FxAError.invalidToken("Sign in again") }
        guard WebSessionCookie.checkCSRF(request.headers.first(name: "X-CSRF-Token"), for: current.cookieValue) else {
            throw FxAError.crossOriginRefused()
        }
        return current
    }

    /// A 303 to the sign-in page, which returns to `next` (one of our paths).
    func toSignin(_ request: Request, next: String) -> Response {
        redirect(request, to: WebPagePaths.signin(next: next))
    }

    /// A 303 to one of our own paths (never a URL taken from the request).
    func redirect(_ request: Request, to path: String) -> Response {
        request.redirect(to: path, redirectType: .normal)
    }

    /// 403 for a post without its CSRF token, in words a user can act on.
    static func expiredForm(_ request: Request, backTo path: String = WebPagePaths.settings) async throws -> Response {
        try await request.render(MessagePage.expiredForm(backTo: path), status: .forbidden)
    }
}
