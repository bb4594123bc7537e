import FxACore
import FxAStore
import Foundation
import Vapor

/// The server's own signed-in pages: `/signin`, `/settings` (display name,
/// sign out) and `/settings/clients` (Devices & apps), and the API call that
/// turns a page's new FxA session into a web-session cookie.
///
/// Every form post needs the session's CSRF token; every redirect goes to
/// one of our own fixed paths.
struct WebPagesController: RouteCollection {
    let sessions: WebSessions
    let authenticator: TokenAuthenticator
    let profiles: any ProfileStore
    let profileService: ProfileService
    let authorizedClients: AuthorizedClients
    let clients: any OAuthClientStore
    let publicURL: PublicBaseURL

    func boot(routes: any RoutesBuilder) throws {
        routes.get("signin", use: signin)
        routes.post("v1", "web", "session", use: startSession)
        routes.get("settings", use: settings)
        routes.post("settings", "display_name", use: setDisplayName)
        routes.post("settings", "signout", use: signOut)
        routes.get("settings", "clients", use: connectedClients)
        routes.post("settings", "clients", "destroy", use: destroyClient)
    }

    @Sendable func signin(_ request: Request) async throws -> Response {
        let next = WebSigninPage.destination(request.query[String.self, at: "next"])
        if try await sessions.current(request) != nil { return redirect(request, to: next) }
        return Self.page(try WebSigninPage(next: next).render(), csp: WebSigninPage.contentSecurityPolicy)
    }

    /// `POST /v1/web/session` with the page's new session (Bearer `fxs_`):
    /// sets the cookie. Only from our own pages: a request whose `Origin`
    /// is another site is refused, so no other origin can plant a session.
    @Sendable func startSession(_ request: Request) async throws -> Response {
        if let origin = request.headers.first(name: .origin), origin != publicURL.origin {
            throw FxAError.crossOriginRefused()
        }
        let token = try await authenticator.authenticate(request, as: [.sessionToken])
        // A browser signing in again: its previous session (and token) ends.
        if let previous = try await sessions.current(request) { try await sessions.signOut(previous) }
        let value = try await sessions.start(on: token)
        let response = try await EmptyJSON().encodeResponse(for: request)
        sessions.cookie.set(value, on: response)
        return response
    }

    @Sendable func settings(_ request: Request) async throws -> Response {
        guard let current = try await signedIn(request) else { return toSignin(request, next: WebPagePaths.settings) }
        let notice: String? = switch request.query[String.self, at: "done"] {
        case "display_name": "Your display name is saved."
        default: nil
        }
        return try await settingsPage(current, notice: notice, status: .ok)
    }

    @Sendable func setDisplayName(_ request: Request) async throws -> Response {
        let (current, form): (WebSessions.Current, [String: String])
        switch try await formPost(request) {
        case .signedOut: return toSignin(request, next: WebPagePaths.settings)
        case .expired: return Self.expiredForm()
        case let .accepted(session, fields): (current, form) = (session, fields)
        }
        let name = (form["display_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await profileService.setDisplayName(name, for: current.account.uid)
        } catch let error as FxAError where error.status == 400 {
            return try await settingsPage(
                current, notice: "That display name cannot be used: at most 256 characters, no control characters.",
                status: .badRequest)
        }
        return redirect(request, to: WebPagePaths.settings + "?done=display_name")
    }

    @Sendable func signOut(_ request: Request) async throws -> Response {
        switch try await formPost(request) {
        case .signedOut: break
        case .expired: return Self.expiredForm()
        case let .accepted(current, _): try await sessions.signOut(current)
        }
        let response = redirect(request, to: WebPagePaths.signin)
        sessions.cookie.clear(on: response)
        return response
    }

    @Sendable func connectedClients(_ request: Request) async throws -> Response {
        guard let current = try await signedIn(request) else { return toSignin(request, next: WebPagePaths.clients) }
        let notice: String? = request.query[String.self, at: "done"] == "signed_out" ? "Signed out of that app." : nil
        // The API lists one entry per refresh token; the page one per app
        // (latest use, every scope), in the API's order.
        var entries: [ConnectedClientsPage.Entry] = []
        for entry in try await authorizedClients.list(uid: current.account.uid) {
            let lastUsed = Date(timeIntervalSince1970: TimeInterval(entry.last_access_time) / 1000)
            if let index = entries.firstIndex(where: { $0.clientID == entry.client_id }) {
                entries[index].scopes = Array(Set(entries[index].scopes + entry.scope)).sorted()
                entries[index].lastUsed = max(entries[index].lastUsed, lastUsed)
                continue
            }
            var client: OAuthClientRecord?
            if let id = OAuthClientID(hex: entry.client_id) { client = try await clients.client(id: id) }
            entries.append(ConnectedClientsPage.Entry(
                clientID: entry.client_id, name: entry.client_name, imageURI: client?.imageURI, scopes: entry.scope,
                lastUsed: lastUsed))
        }
        let page = ConnectedClientsPage(entries: entries, csrfToken: current.csrfToken, notice: notice)
        return Self.page(page.render(), csp: page.contentSecurityPolicy)
    }

    @Sendable func destroyClient(_ request: Request) async throws -> Response {
        let (current, form): (WebSessions.Current, [String: String])
        switch try await formPost(request) {
        case .signedOut: return toSignin(request, next: WebPagePaths.clients)
        case .expired: return Self.expiredForm()
        case let .accepted(session, fields): (current, form) = (session, fields)
        }
        // Every token of that app for this account only (by uid).
        try await authorizedClients.destroy(
            uid: current.account.uid, DestroyAuthorizedClientRequest(client_id: form["client_id"], refresh_token_id: nil))
        return redirect(request, to: WebPagePaths.clients + "?done=signed_out")
    }

    /// The session of a page view: signed in and with a confirmed sign-in.
    private func signedIn(_ request: Request) async throws -> WebSessions.Current? {
        guard let current = try await sessions.current(request), current.verified else { return nil }
        return current
    }

    /// What a form post may do.
    private enum FormPost {
        /// No (confirmed) web session: sign in first.
        case signedOut
        /// Signed in, but without this session's CSRF token: refused before
        /// anything is done (a cross-site post, or a form from an older session).
        case expired
        case accepted(WebSessions.Current, [String: String])
    }

    private func formPost(_ request: Request) async throws -> FormPost {
        guard let current = try await signedIn(request) else { return .signedOut }
        // A body that is not a form has no token either.
        let form = (try? request.content.decode([String: String].self, as: .urlEncodedForm)) ?? [:]
        guard WebSessionCookie.checkCSRF(form["csrf_token"], for: current.cookieValue) else { return .expired }
        return .accepted(current, form)
    }

    /// 403 for a post without its CSRF token, in words a user can act on.
    private static func expiredForm() -> Response {
        let response = page(HTML.document(title: "This form has expired", body: """
            <div class="card">
            <h1>This form has expired</h1>
            <p>Nothing was changed. Go back to <a href="\(WebPagePaths.settings)">your account settings</a> and try again.</p>
            </div>
            """), csp: SettingsPage.contentSecurityPolicy)
        response.status = .forbidden
        return response
    }

    private func settingsPage(_ current: WebSessions.Current, notice: String?, status: HTTPResponseStatus) async throws -> Response {
        let profile = try await profiles.profile(uid: current.account.uid)
        let page = SettingsPage(account: current.account, displayName: profile?.displayName, csrfToken: current.csrfToken, notice: notice)
        let response = Self.page(page.render(), csp: SettingsPage.contentSecurityPolicy)
        response.status = status
        return response
    }

    private func toSignin(_ request: Request, next: String) -> Response {
        redirect(request, to: WebPagePaths.signin + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// A 303 to one of our own paths (never a URL taken from the request).
    private func redirect(_ request: Request, to path: String) -> Response {
        request.redirect(to: path, redirectType: .normal)
    }

    private static func page(_ html: String, csp: String) -> Response {
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .contentSecurityPolicy, value: csp)
        return response
    }
}
