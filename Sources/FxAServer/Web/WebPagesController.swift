import FxACore
import FxAStore
import Foundation
import Vapor

/// The server's own signed-in pages: `/signin`, `/settings` with its
/// display name and sign-out forms (the others: ``SettingsFormsController``,
/// ``WebAccountController``), `/settings/clients` (Devices & apps), and the
/// API call that turns a page's new FxA session into a web-session cookie.
///
/// Every form post needs the session's CSRF token; every redirect goes to
/// one of our own fixed paths.
struct WebPagesController: RouteCollection {
    let gate: WebPageGate
    var sessions: WebSessions { gate.sessions }
    let authenticator: TokenAuthenticator
    let settingsPage: SettingsPageLoader
    let profileService: ProfileService
    let authorizedClients: AuthorizedClients
    let clients: any OAuthClientStore
    let devices: DeviceService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("signin", use: signin)
        routes.post("v1", "web", "session", use: startSession)
        routes.get("settings", use: settings)
        routes.get("settings", "avatar", "change", use: avatarChange)
        routes.get("connect_another_device", use: connectAnotherDevice)
        routes.post("settings", "display_name", use: setDisplayName)
        routes.post("settings", "signout", use: signOut)
        routes.get("settings", "clients", use: connectedClients)
        routes.post("settings", "clients", "destroy", use: destroyClient)
        routes.post("settings", "devices", "destroy", use: destroyDevice)
    }

    @Sendable func signin(_ request: Request) async throws -> Response {
        let next = WebSigninPage.destination(request.query[String.self, at: "next"])
        // Only a session the pages accept skips the sign-in; another (one
        // without the second factor its account now needs) signs in again.
        if try await gate.signedIn(request) != nil { return gate.redirect(request, to: next) }
        let notice = WebSigninPage.notice(done: request.query[String.self, at: "done"])
        return try await request.render(WebSigninPage(next: next, notice: notice))
    }

    /// `POST /v1/web/session` with the page's new session (Bearer `fxs_`):
    /// sets the cookie. `{"sharesToken": true}` when the session is also
    /// Firefox's (taken from `fxaccounts:fxa_status`, or handed to Firefox
    /// after a password change). Only from our own pages: a request whose `Origin`
    /// is another site is refused, so no other origin can plant a session.
    @Sendable func startSession(_ request: Request) async throws -> Response {
        if let origin = request.headers.first(name: .origin), origin != gate.publicURL.origin {
            throw FxAError.crossOriginRefused()
        }
        let authenticated = try await authenticator.authenticateWithAccount(request, as: [.sessionToken])
        let token = authenticated.token
        let body = request.body.data == nil ? WebSessionRequest() : try request.content.decode(WebSessionRequest.self)
        let previous = try await sessions.current(request)
        // The new session is checked (confirmed account and sign-in) and
        // stored first: a refused one leaves the browser as it was.
        let value = try await sessions.start(on: authenticated, sharesToken: body.sharesToken ?? false)
        // A browser signing in again: its previous session (and token) ends,
        // but never a token that is Firefox's.
        if let previous { try await sessions.replace(previous, by: token) }
        let response = try await EmptyJSON().encodeResponse(for: request)
        sessions.cookie.set(value, on: response)
        return response
    }

    @Sendable func settings(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return try await signIn(request, next: WebPagePaths.settings) }
        let done = request.query[String.self, at: "done"]
        // After "we emailed you a code", the page asks for it.
        return try await settingsPage.response(
            request, current, notice: SettingsPageLoader.notice(done: done), askingTwoStepCode: done == "two_step_code")
    }

    /// A signed-out browser on a page: Firefox's pages (opened from its
    /// menus, `context=oauth_webchannel_v1`) take Firefox's session first;
    /// any other goes to sign in.
    private func signIn(_ request: Request, next: String) async throws -> Response {
        guard request.query[String.self, at: "context"] == FirefoxSigninController.oauthContext else {
            return gate.toSignin(request, next: next)
        }
        return try await request.render(FirefoxSessionPage(next: next))
    }

    /// Firefox's "change avatar": the picture is on the settings page.
    @Sendable func avatarChange(_ request: Request) async throws -> Response {
        let context = request.query[String.self, at: "context"] == FirefoxSigninController.oauthContext
            ? "?context=" + FirefoxSigninController.oauthContext : ""
        return gate.redirect(request, to: WebPagePaths.settings + context)
    }

    /// Firefox's "connect another device": how to sign another Firefox in
    /// to this server, whose address it needs first.
    @Sendable func connectAnotherDevice(_ request: Request) async throws -> Response {
        try await request.render(ConnectDevicePage(origin: gate.publicURL.origin))
    }

    @Sendable func setDisplayName(_ request: Request) async throws -> Response {
        let (current, form): (WebSessions.Current, [String: String])
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.settings)
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(session, fields): (current, form) = (session, fields)
        }
        let name = (form["display_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try await profileService.setDisplayName(name, for: current.account.uid)
        } catch let error as FxAError where error.status == 400 {
            return try await settingsPage.response(
                request, current, notice: "That display name cannot be used: at most 256 characters, no control characters.",
                status: .badRequest)
        }
        return gate.redirect(request, to: WebPagePaths.settings + "?done=display_name")
    }

    @Sendable func signOut(_ request: Request) async throws -> Response {
        switch try await gate.formPost(request) {
        case .signedOut: break
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(current, _): try await sessions.signOut(current)
        }
        let response = gate.redirect(request, to: WebPagePaths.signin)
        sessions.cookie.clear(on: response)
        return response
    }

    @Sendable func connectedClients(_ request: Request) async throws -> Response {
        guard let current = try await gate.signedIn(request) else { return try await signIn(request, next: WebPagePaths.clients) }
        let notice: String? = switch request.query[String.self, at: "done"] {
        case "signed_out": "Signed out of that app."
        case "device_signed_out": "Signed out of that device. It asks to sign in again when it next connects."
        default: nil
        }
        // The API lists one entry per refresh token; the page one per app
        // (latest use, every scope), in the API's order.
        var entries: [ConnectedClientsPage.Entry] = []
        for entry in try await authorizedClients.list(uid: current.account.uid) {
            if entry.belongsToFirefoxDevice { continue }
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
        let deviceRows = try await devices.devices.devices(uid: current.account.uid).map { device in
            ConnectedClientsPage.Device(
                id: device.id, name: device.name, type: device.type, lastActive: device.lastAccessAt,
                isThisBrowser: device.sessionIDHash == current.token.idHash)
        }
        let page = ConnectedClientsPage(
            devices: deviceRows, now: devices.clock.now(), entries: entries, csrfToken: current.csrfToken, notice: notice)
        return try await request.render(page)
    }

    @Sendable func destroyClient(_ request: Request) async throws -> Response {
        let (current, form): (WebSessions.Current, [String: String])
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.clients)
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(session, fields): (current, form) = (session, fields)
        }
        // A client id that is not one (a tampered form) signs out of nothing.
        guard let clientID = form["client_id"], OAuthClientID(hex: clientID) != nil else {
            return gate.redirect(request, to: WebPagePaths.clients)
        }
        // Every token of that app for this account only (by uid).
        try await authorizedClients.destroy(
            uid: current.account.uid, DestroyAuthorizedClientRequest(client_id: clientID, refresh_token_id: nil))
        return gate.redirect(request, to: WebPagePaths.clients + "?done=signed_out")
    }

    /// Signs a device out from Devices & apps: its session, the tokens under
    /// it and its queued commands end; that Firefox hears 401 errno 110 at
    /// its next request and asks to sign in again.
    @Sendable func destroyDevice(_ request: Request) async throws -> Response {
        let (current, form): (WebSessions.Current, [String: String])
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.clients)
        case .expired: return try await WebPageGate.expiredForm(request, backTo: WebPagePaths.clients)
        case let .accepted(session, fields): (current, form) = (session, fields)
        }
        // A tampered or stale form signs out of nothing.
        guard let id = form["device_id"].flatMap(DeviceID.init(hex:)) else { return gate.redirect(request, to: WebPagePaths.clients) }
        let own = try await devices.devices.device(sessionIDHash: current.token.idHash)
        do {
            try await devices.destroy(id, uid: current.account.uid)
        } catch let error as FxAError where error.errno == .auth(.deviceUnknown) {
            return gate.redirect(request, to: WebPagePaths.clients)
        }
        // Signing out the device this browser's pages stand on ends them too.
        if id == own?.id {
            let response = gate.redirect(request, to: WebPagePaths.signin)
            sessions.cookie.clear(on: response)
            return response
        }
        return gate.redirect(request, to: WebPagePaths.clients + "?done=device_signed_out")
    }
}

/// The body of `POST /v1/web/session`: empty, or whether the session is
/// shared with Firefox.
struct WebSessionRequest: Content {
    var sharesToken: Bool?
}
