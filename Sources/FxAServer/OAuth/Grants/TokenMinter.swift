import FxACore
import FxAStore
import Foundation

/// Mints what every grant hands out: access and refresh tokens (stored by
/// their hash, returned once), the access token as the client receives it
/// (opaque, or a JWT for clients that chose them) and the ID token.
struct TokenMinter: Sendable {
    let grants: any OAuthGrantStore
    let idTokens: IDTokenSigner
    let accessJWT: AccessTokenJWT

    /// Who a token is for and what it may do: the same for every token of
    /// one exchange.
    struct Grant: Sendable {
        let client: OAuthClientRecord
        let uid: AccountUID
        let scope: OAuthScopeSet
        let authAt: Date?
        /// The code it was exchanged for (every token of that exchange dies
        /// if the code is replayed).
        var grantCode: TokenHash?
        /// The FxA session it was minted on (`fxa-credentials`), which
        /// takes it along when it ends.
        var session: TokenHash?
    }

    /// An access token's row, for `token` (the secret, never stored).
    static func accessRecord(_ token: Hex32, _ grant: Grant, ttl: Int, parent: TokenHash?, at now: Date) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: TokenHash(of: token), kind: .access, clientID: grant.client.id, uid: grant.uid, scope: grant.scope,
            createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(ttl)), lastUsedAt: now, parentHash: parent,
            grantCodeHash: grant.grantCode, authAt: grant.authAt, sessionIDHash: grant.session)
    }

    /// A refresh token's row: it never carries `openid` and does not expire.
    static func refreshRecord(_ token: Hex32, _ grant: Grant, at now: Date) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: TokenHash(of: token), kind: .refresh, clientID: grant.client.id, uid: grant.uid,
            scope: withoutOpenID(grant.scope), createdAt: now, expiresAt: nil, lastUsedAt: now,
            grantCodeHash: grant.grantCode, authAt: grant.authAt, sessionIDHash: grant.session)
    }

    /// Stores a new refresh token; returns it (hex, to hand out once) and
    /// its hash, the parent of access tokens issued beside it.
    func issueRefreshToken(_ grant: Grant, at now: Date) async throws -> (token: String, hash: TokenHash) {
        let token = Hex32.random()
        let record = Self.refreshRecord(token, grant, at: now)
        try await grants.insertToken(record)
        return (token.hex, record.tokenHash)
    }

    /// Stores a new access token and answers it as the token endpoint does.
    func issueAccessToken(_ grant: Grant, ttl: Int, parent: TokenHash?, at now: Date) async throws -> TokenResponse {
        let token = Hex32.random()
        try await grants.insertToken(Self.accessRecord(token, grant, ttl: ttl, parent: parent, at: now))
        return try await response(for: token, grant, ttl: ttl, at: now)
    }

    /// The token endpoint's answer for an access token already stored.
    func response(for token: Hex32, _ grant: Grant, ttl: Int, at now: Date) async throws -> TokenResponse {
        TokenResponse(access_token: try await present(token, grant, ttl: ttl, at: now), scope: grant.scope.description, expires_in: ttl)
    }

    /// The ID token for `response`'s access token (`at_hash`), when the
    /// grant's scope includes `openid`.
    func idToken(
        for response: TokenResponse, _ grant: Grant, amr: [String], aal: Int, nonce: String?, at now: Date
    ) async throws -> String? {
        guard grant.scope.implies(.openid), let authAt = grant.authAt else { return nil }
        return try await idTokens.sign(
            uid: grant.uid, clientID: grant.client.id, accessToken: response.access_token, authAt: authAt, amr: amr, aal: aal,
            nonce: nonce, at: now)
    }

    /// The access token as the client receives it: the opaque token in hex,
    /// or for clients that chose them a JWT whose `jti` is that token.
    private func present(_ token: Hex32, _ grant: Grant, ttl: Int, at now: Date) async throws -> String {
        guard grant.client.jwtAccessTokens else { return token.hex }
        return try await accessJWT.sign(
            opaque: token, uid: grant.uid, clientID: grant.client.id, scope: grant.scope, issuedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(ttl)))
    }

    /// `openid` is not carried by refresh tokens or refreshed access tokens (FxA strips it).
    static func withoutOpenID(_ scope: OAuthScopeSet) -> OAuthScopeSet {
        OAuthScopeSet(scope.scopes.filter { $0 != .openid })
    }
}
