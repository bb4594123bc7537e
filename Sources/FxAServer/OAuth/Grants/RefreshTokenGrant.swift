import FxACore
import FxAStore
import Foundation

/// `grant_type=refresh_token`: a new access token from a refresh token of
/// the same client, for the same scope or, within FxA's rules, another.
struct RefreshTokenGrant: Sendable {
    let clients: OAuthClientAuthenticator
    let grants: any OAuthGrantStore
    let minter: TokenMinter
    /// Never reached by widening a refresh token (``checkScope(_:granted:client:)``).
    let keyBearingScopes: KeyBearingScopes
    let clock: any WallClock

    /// The grant's fields of the form, checked.
    struct Parameters: Sendable {
        let token: Hex32
        /// `nil`: the refresh token's own scope.
        let scope: RequestedScopes?

        init(form: TokenRequestForm) throws {
            guard let text = form.refresh_token, let token = Hex32(lowercaseHex: text) else {
                throw FxAError.invalidOAuthParameter(["refresh_token"])
            }
            self.token = token
            scope = try form.scope.map { text in
                guard let scope = RequestedScopes(parsing: text) else { throw FxAError.invalidOAuthParameter(["scope"]) }
                return scope
            }
        }
    }

    func exchange(_ parameters: Parameters, client credentials: ClientCredentials, ttl: Int) async throws -> TokenResponse {
        let client = try await clients.authenticate(credentials)
        let hash = TokenHash(of: parameters.token)
        guard let stored = try await grants.token(hash: hash), stored.kind == .refresh, stored.clientID == client.id else {
            throw FxAError.invalidOAuthToken()
        }
        var scope = stored.scope
        if let requested = parameters.scope {
            try checkScope(requested, granted: stored.scope, client: client)
            scope = requested.set
        }
        let now = clock.now()
        try await grants.touchToken(hash: hash, at: now)
        let grant = TokenMinter.Grant(client: client, uid: stored.uid, scope: TokenMinter.withoutOpenID(scope), authAt: stored.authAt)
        return try await minter.issueAccessToken(grant, ttl: ttl, parent: hash, at: now)
    }

    /// The scope a refresh grant may ask for. Narrowing is always allowed.
    /// Widening breaks RFC 6749 §6 ("MUST NOT include any scope not
    /// originally granted"), but FxA allows a trusted client to widen within
    /// its registration (`lib/routes/oauth/token.js`,
    /// `validateRefreshTokenGrant`: `if (!client.trusted ||
    /// !allowedScopes.contains(params.scope))`), and a client written
    /// against FxA may rely on it, so swift-fxa follows FxA. It never widens
    /// to a scope that overlaps a key-bearing one: Sync's key needs the password
    /// at sign-in, and an access token for Sync must come from a grant the
    /// user made for it. Refused scopes are errno 114, as in FxA.
    private func checkScope(_ requested: RequestedScopes, granted: OAuthScopeSet, client: OAuthClientRecord) throws {
        let widening = requested.named.filter { !granted.implies($0) }
        guard !widening.isEmpty else { return }
        let refused = widening.filter { scope in
            !client.trusted || !client.registeredScopes.implies(scope) || keyBearingScopes.overlaps(scope)
        }
        guard refused.isEmpty else { throw FxAError.invalidScopes(refused) }
    }
}
