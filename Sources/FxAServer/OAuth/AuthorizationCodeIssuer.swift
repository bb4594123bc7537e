import Crypto
import FxACore
import FxAStore
import Foundation

/// Issues authorization codes for a signed-in user: checks the client, the
/// redirect URI (exact match), PKCE and the scopes, stores the code's hash
/// with everything the token endpoint must check, and builds the redirect.
struct AuthorizationCodeIssuer: Sendable {
    let clients: OAuthClientAuthenticator
    let grants: any OAuthGrantStore
    /// A session below its account's level (signed in before two-step
    /// authentication was on) makes no new code.
    let sessionRule: VerifiedSessionRule
    let clock: any WallClock

    /// How long a code can be exchanged (FxA: 15 minutes).
    static let codeLifetime: TimeInterval = 15 * 60

    /// What a code is for, already validated into typed values.
    struct Grant: Sendable {
        var client: OAuthClientRecord
        var uid: AccountUID
        var scope: OAuthScopeSet
        /// Where the code goes, and what it is bound to.
        var redirectURI: String
        var state: String
        var codeChallenge: String?
        var nonce: String?
        var offline: Bool
        var keysJWE: String?
        var authAt: Date
        /// What the session proved (`amr`, and the level: `acr`).
        var assurance: SessionAssurance
    }

    /// Validates a session's request into a ``Grant``. The session is the
    /// request's own token, or a web session's (single sign-on).
    func grant(for body: SessionAuthorizationRequest, session: StoredToken) async throws -> Grant {
        let client = try await clients.client(body.client_id)
        guard session.verified else { throw FxAError.unverifiedSession() }
        if let responseType = body.response_type, responseType != "code" {
            throw FxAError.oauth(400, .invalidResponseType, "unsupported_response_type", "Invalid response_type")
        }
        guard let state = body.state, !state.isEmpty, state.count <= 512 else {
            throw FxAError.invalidOAuthParameter(["state"])
        }
        guard let scopeText = body.scope, let requested = RequestedScopes(parsing: scopeText), !requested.isEmpty else {
            throw FxAError.invalidOAuthParameter(["scope"])
        }
        let scope = requested.set
        let redirectURI = try Self.redirectURI(body.redirect_uri, for: client)
        let challenge = try AuthorizationParameters.pkceChallenge(
            method: body.code_challenge_method, challenge: body.code_challenge)
        if client.publicClient, challenge == nil { throw FxAError.missingPKCEParameters() }
        try OAuthGrantPolicy.check(requested, for: client)
        if let nonce = body.nonce, nonce.count > 256 { throw FxAError.invalidOAuthParameter(["nonce"]) }
        // AAL2 needs a session that gave the app's code; FxA refuses rather
        // than issue a weaker sign-in than the RP asked for.
        let assurance = SessionAssurance(verified: session.verified, method: session.verificationMethod)
        if AuthorizationParameters.requiresTwoStep(body.acr_values), assurance.level < 2 {
            throw FxAError.mismatchedACR(found: assurance.level)
        }
        try await sessionRule.requireAccountLevel(session)
        return Grant(
            client: client, uid: session.uid, scope: scope, redirectURI: redirectURI,
            state: state, codeChallenge: challenge, nonce: body.nonce,
            offline: try AuthorizationParameters.offline(body.access_type),
            keysJWE: try AuthorizationParameters.keysJWE(body.keys_jwe), authAt: session.createdAt,
            assurance: assurance)
    }

    /// Stores a code for `grant` and returns the response that carries it.
    func issue(_ grant: Grant) async throws -> AuthorizationCodeResponse {
        let code = Hex32.random()
        try await grants.insertCode(OAuthCodeRecord(
            codeHash: TokenHash(of: code), clientID: grant.client.id, uid: grant.uid, scope: grant.scope,
            redirectURI: grant.redirectURI, codeChallenge: grant.codeChallenge, nonce: grant.nonce,
            offline: grant.offline, authAt: grant.authAt, amr: grant.assurance.authenticationMethods,
            aal: grant.assurance.level, keysJWE: grant.keysJWE,
            createdAt: clock.now()))
        return AuthorizationCodeResponse(
            redirect: Self.appendingQuery(to: grant.redirectURI, [("code", code.hex), ("state", grant.state)]),
            code: code.hex, state: grant.state, scope: grant.scope.description)
    }

    /// `uri` with `parameters` added to its query (any existing query is
    /// kept), every value percent-encoded outside RFC 3986's unreserved set
    /// so that `+`, `&` or `=` in a state survive form decoding.
    static func appendingQuery(to uri: String, _ parameters: [(String, String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let query = parameters.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")"
        }.joined(separator: "&")
        let fragmentStart = uri.firstIndex(of: "#") ?? uri.endIndex
        let base = uri[..<fragmentStart]
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + query + uri[fragmentStart...]
    }

    /// The registered URI the request named (byte-for-byte), or the
    /// client's registered URI when it named none and has only one. A
    /// client with several must name one (RFC 6749 §3.1.2.3): picking one
    /// for it could send the code where it did not mean.
    static func redirectURI(_ requested: String?, for client: OAuthClientRecord) throws -> String {
        guard let requested else {
            guard let only = client.redirectURIs.first else { throw FxAError.incorrectRedirectURI("") }
            guard client.redirectURIs.count == 1 else { throw FxAError.ambiguousRedirectURI() }
            return only
        }
        guard client.redirectURIs.contains(requested) else { throw FxAError.incorrectRedirectURI(requested) }
        return requested
    }
}
