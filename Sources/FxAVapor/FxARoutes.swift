import FxAClient
import Foundation
import Vapor

/// Where FxAVapor's routes live and where they send the user. The defaults
/// are the ones the README and the example use.
public struct FxARouteConfiguration: Sendable {
    /// Starts a sign-in (`GET`).
    public var loginPath: [PathComponent] = ["auth", "login"]
    /// The redirect URI's path (`GET`); register `<public URL>/auth/callback` with the provider.
    public var callbackPath: [PathComponent] = ["auth", "callback"]
    /// Signs out (`POST` with `csrf_token`).
    public var logoutPath: [PathComponent] = ["auth", "logout"]
    /// Receives Security Event Tokens (`POST`); register it as the client's webhook URL.
    public var webhookPath: [PathComponent] = ["auth", "webhook"]
    /// Sent with every authorization request (FxA requires one).
    public var entrypoint: Entrypoint
    /// Where to land after sign-in when the login asked for no `return_to`.
    public var afterSignIn = "/"
    /// Where to land after sign-out.
    public var afterSignOut = "/"
    /// Whether the sign-in binding cookie is `Secure` (keep true except for
    /// plain-http development on loopback).
    public var secureCookies = true
    /// How old a webhook token may be.
    public var webhookMaximumAge: TimeInterval = 600
    /// A last word on each authorization request (e.g. `action = .email`).
    public var customizeAuthorization: @Sendable (inout AuthorizationRequest, Request) -> Void = { _, _ in }

    /// The defaults, with the entrypoint FxA requires.
    public init(entrypoint: Entrypoint) {
        self.entrypoint = entrypoint
    }
}

/// The RP's four FxA routes:
/// - `GET /auth/login[?email=&return_to=]`: starts a sign-in with fresh
///   state, PKCE and nonce kept in the session, and redirects to the provider.
/// - `GET /auth/callback`: completes it (the pending authorization is taken
///   out of the session first, so a replayed callback fails), stores the user
///   and the tokens, and lands on `return_to` or ``FxARouteConfiguration/afterSignIn``.
/// - `POST /auth/logout` (form field `csrf_token`): destroys the session's
///   tokens at the provider, then the session.
/// - `POST /auth/webhook`: verifies the provider's Security Event Token and
///   hands its events to the ``FxAEventHandler``.
public struct FxARoutes: RouteCollection, Sendable {
    let client: FxAClient
    let users: any FxAUserStore
    let events: any FxAEventHandler
    let seen: any SeenTokenStore
    let configuration: FxARouteConfiguration

    /// The routes over the app's client, user store, event handler and `jti` store.
    public init(
        client: FxAClient, users: any FxAUserStore, events: any FxAEventHandler, seen: any SeenTokenStore,
        configuration: FxARouteConfiguration
    ) {
        self.client = client
        self.users = users
        self.events = events
        self.seen = seen
        self.configuration = configuration
    }

    public func boot(routes: any RoutesBuilder) throws {
        routes.get(configuration.loginPath, use: login)
        routes.get(configuration.callbackPath, use: callback)
        routes.post(configuration.logoutPath, use: logout)
        routes.post(configuration.webhookPath, use: webhook)
    }

    /// Starts a sign-in: fresh state, PKCE and nonce, kept in the session.
    @Sendable func login(_ request: Request) async throws -> Response {
        var authorization = client.authorizationRequest(entrypoint: configuration.entrypoint)
        if let email = request.query[String.self, at: "email"], !email.isEmpty, email.count <= 255 {
            authorization.email = email
            authorization.action = .email
        }
        authorization.returnTo = request.query[String.self, at: "return_to"]
        configuration.customizeAuthorization(&authorization, request)
        let (url, pending) = try await client.prepare(authorization)
        request.session.data[FxASessionKey.pending] = String(decoding: try JSONEncoder().encode(pending), as: UTF8.self)
        return request.redirect(to: url.absoluteString, redirectType: .normal)
    }

    @Sendable func callback(_ request: Request) async throws -> Response {
        let pending = request.session.data[FxASessionKey.pending].flatMap {
            try? JSONDecoder().decode(PendingAuthorization.self, from: Data($0.utf8))
        }
        // Single use: whatever happens next, this pending sign-in is spent.
        request.session.data[FxASessionKey.pending] = nil
        let callback = AuthorizationCallback(query: (try? request.query.decode([String: String].self)) ?? [:])
        let signIn: FxASignIn
        do {
            signIn = try await client.completeAuthorization(callback, pending: pending)
        } catch let error as FxAClientError {
            request.logger.warning("FxA sign-in refused", metadata: ["reason": .string(error.description)])
            return Self.failure(error)
        }
        // When the user authenticated, on the provider's clock (FxA's
        // `auth_at`), so that comparing it with a password change's
        // `changeTime` does not depend on the two clocks agreeing. `auth_at`
        // is in whole seconds while `changeTime` has milliseconds: the end
        // of that second is taken, or the session a password change itself
        // opened would look older than the change.
        let signedInAt = signIn.tokens.authAt.map { Date(timeIntervalSince1970: TimeInterval($0) + 1) } ?? Date()
        try await users.signedIn(signIn, at: signedInAt)
        // Anything an earlier holder of this session knew is void now.
        request.session.signOutOfFxA()
        request.session.data[FxASessionKey.csrf] = nil
        request.session.data[FxASessionKey.uid] = signIn.uid
        request.session.data[FxASessionKey.signedInAt] = String(signedInAt.timeIntervalSince1970)
        request.session.data[FxASessionKey.tokens] = String(decoding: try JSONEncoder().encode(signIn.tokens), as: UTF8.self)
        request.logger.info("FxA sign-in", metadata: ["uid": .string(signIn.uid)])
        let response = request.redirect(to: signIn.returnTo ?? configuration.afterSignIn, redirectType: .normal)
        SessionBinding.bind(request, response, secure: configuration.secureCookies)
        return response
    }

    @Sendable func logout(_ request: Request) async throws -> Response {
        let form = try? request.content.decode([String: String].self)
        guard request.verifyCSRFToken(form?["csrf_token"]) else {
            throw Abort(.forbidden, reason: "The form expired; reload the page and try again.")
        }
        if let tokens = request.fxaTokens {
            do {
                try await client.signOut(tokens)
            } catch FxAClientError.unsupportedByProvider(let what) {
                request.logger.notice("signing out locally only", metadata: ["missing": .string(what)])
            } catch {
                // The local session ends regardless; the provider's tokens
                // expire on their own. Say so in the log.
                request.logger.warning("FxA token destruction failed", metadata: ["error": .string("\(error)")])
            }
            if let uid = request.session.data[FxASessionKey.uid], let refreshToken = tokens.refreshToken {
                try await users.forgetRefreshToken(uid: uid, token: refreshToken)
            }
        }
        request.session.destroy()
        let response = request.redirect(to: configuration.afterSignOut, redirectType: .normal)
        SessionBinding.clear(response, secure: configuration.secureCookies)
        return response
    }

    @Sendable func webhook(_ request: Request) async throws -> Response {
        let verifier = try await client.securityEventVerifier(seen: seen, maximumAge: configuration.webhookMaximumAge)
        let event: FxASecurityEvent
        do {
            event = try await verifier.verify(authorizationHeader: request.headers.first(name: .authorization))
        } catch FxAClientError.invalidSecurityEventToken(.replayed) {
            // Validly signed and already handled: nothing to do, and a 2xx
            // stops the provider from retrying it.
            return Response(status: .ok)
        } catch let error as FxAClientError {
            request.logger.warning("FxA webhook refused", metadata: ["reason": .string(error.description)])
            if case .invalidSecurityEventToken = error {
                return Self.json(.unauthorized, ["error": "invalid_token", "error_description": error.description])
            }
            // Keys or provider unreachable: not the sender's fault; it retries.
            return Self.json(.serviceUnavailable, ["error": "temporarily_unavailable"])
        }
        do {
            try await events.handle(event)
        } catch {
            try? await verifier.release(event.jti)
            request.logger.error("FxA event handling failed; the provider will retry", metadata: [
                "uid": .string(event.uid), "jti": .string(event.jti), "error": .string("\(error)"),
            ])
            return Self.json(.internalServerError, ["error": "handler_failed"])
        }
        request.logger.info("FxA events handled", metadata: ["uid": .string(event.uid), "jti": .string(event.jti)])
        return Response(status: .ok)
    }

    /// A sign-in that failed: the user sees what to do, the log has why.
    static func failure(_ error: FxAClientError) -> Response {
        let (status, message): (HTTPStatus, String) = switch error {
        case .stateMismatch, .noPendingAuthorization, .missingAuthorizationCode:
            (.badRequest, "This sign-in link expired or was already used. Please sign in again.")
        case .authorizationDenied:
            (.forbidden, "The sign-in was cancelled.")
        default:
            (.badGateway, "Signing in failed. Please try again later.")
        }
        let response = Response(status: status, body: .init(string: message + "\n"))
        response.headers.contentType = .plainText
        return response
    }

    static func json(_ status: HTTPStatus, _ body: [String: String]) -> Response {
        let response = Response(status: status)
        response.body = .init(data: (try? JSONEncoder().encode(body)) ?? Data())
        response.headers.contentType = .json
        return response
    }
}
