import FxACore
import FxAStore
import Foundation
import Vapor

/// Signs browsers in and out of the server's own pages, on top of the FxA
/// session token their sign-in made (see ``WebSession``).
struct WebSessions: Sendable {
    let store: any WebSessionStore
    let accounts: any AccountStore
    let clock: any WallClock
    let cookie: WebSessionCookie
    /// A web session stands only on a session that meets it.
    let sessionRule: VerifiedSessionRule

    /// A request's web session, with what every page needs.
    struct Current: Sendable {
        let session: WebSession
        let account: AccountRecord
        /// The FxA session token the web session stands on.
        let token: StoredToken
        /// The cookie value (kept in memory only, for the CSRF token).
        let cookieValue: Data

        var csrfToken: String { WebSessionCookie.csrfToken(for: cookieValue) }
        /// Whether the session token's sign-in was confirmed.
        var verified: Bool { token.verified }
    }

    /// Starts a web session on `token` (a session meeting
    /// ``VerifiedSessionRule``: 104, 138 or 222 otherwise, before the
    /// browser's previous web session is replaced) and returns the cookie value to set. `sharesToken`: the
    /// token is also Firefox's (``WebSession/sharesToken``).
    func start(on authenticated: AuthenticatedAccount, sharesToken: Bool = false) async throws -> Data {
        let token = authenticated.token
        try await sessionRule.check(token.stored, account: authenticated.account)
        let value = WebSessionCookie.newValue()
        try await store.insert(WebSession(
            idHash: TokenHash(of: value), tokenIDHash: token.idHash, uid: token.uid, createdAt: clock.now(),
            sharesToken: sharesToken))
        return value
    }

    /// The signed-in session of `request`, or `nil` (no cookie, unknown,
    /// expired, or its session token is gone).
    func current(_ request: Request) async throws -> Current? {
        guard let value = cookie.value(in: request),
              let (session, token) = try await store.session(idHash: TokenHash(of: value)),
              clock.now().timeIntervalSince(session.createdAt) < WebSessionCookie.lifetime,
              let account = try await accounts.account(uid: session.uid)
        else { return nil }
        return Current(session: session, account: account, token: token, cookieValue: value)
    }

    /// Ends the session and its FxA session token (the user signed out:
    /// a token shared with Firefox ends too, and the page tells Firefox).
    func signOut(_ current: Current) async throws {
        try await store.signOut(idHash: current.session.idHash)
    }

    /// Ends the web session because another sign-in replaces it: its token
    /// goes with it unless it is shared with Firefox, or is the new one.
    func replace(_ current: Current, by token: AuthenticatedToken) async throws {
        if current.session.sharesToken || current.token.idHash == token.idHash {
            try await store.forget(idHash: current.session.idHash)
        } else {
            try await store.signOut(idHash: current.session.idHash)
        }
    }

    /// Deletes sessions past their lifetime and those left without a token.
    func sweep() async throws {
        try await store.deleteExpired(createdBefore: clock.now().addingTimeInterval(-WebSessionCookie.lifetime))
    }
}
