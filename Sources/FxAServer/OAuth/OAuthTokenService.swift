import Crypto
import FxACore
import FxAStore
import Foundation
import Vapor

/// `POST /v1/token`: trades an authorization code (with the client's
/// secret or a PKCE verifier) or a refresh token for tokens, with the
/// checks of RFC 6749, RFC 7636 and RFC 9700 in FxA's order and errnos.
struct OAuthTokenService: Sendable {
    let clients: OAuthClientAuthenticator
    let grants: any OAuthGrantStore
    let idTokens: IDTokenSigner
    let accessJWT: AccessTokenJWT
    /// Never reached by widening a refresh token (``checkRefreshScope(_:granted:client:)``).
    let keyBearingScopes: KeyBearingScopes
    let clock: any WallClock

    /// Longest access-token life, and the default (FxA: 6 h 5 min).
    static let maximumAccessTokenLifetime = 365 * 60

    /// The grants this endpoint serves. `fxa-credentials` is FxA's own:
    /// a signed-in session (Firefox's) asks for tokens directly.
    enum Grant: String {
        case authorizationCode = "authorization_code"
        case refreshToken = "refresh_token"
        case fxaCredentials = "fxa-credentials"
    }

    /// The grant a request asks for. FxA defaults a missing `grant_type` to
    /// `authorization_code` on `/v1/token` (PyFxA's `trade_code` sends
    /// none), and on the session route `/v1/oauth/token` to
    /// `fxa-credentials` unless a `code` is present.
    static func grant(of body: TokenRequest, sessionRoute: Bool) throws -> Grant {
        guard let text = body.grant_type else {
            return sessionRoute && body.code == nil ? .fxaCredentials : .authorizationCode
        }
        guard let grant = Grant(rawValue: text) else { throw FxAError.invalidGrantType() }
        return grant
    }

    func exchange(_ body: TokenRequest, grant: Grant, request: Request) async throws -> TokenResponse {
        switch grant {
        case .authorizationCode: return try await redeemCode(body, request: request)
        case .refreshToken: return try await refresh(body, request: request)
        case .fxaCredentials: throw FxAError.invalidToken("Missing authentication")
        }
    }

    /// `fxa-credentials`: tokens for a verified session, for clients FxA
    /// calls `canGrant` (here: public clients the operator marked trusted,
    /// such as a browser), with `access_type=offline` for a refresh token.
    func credentialsGrant(_ body: TokenRequest, session: AuthenticatedToken, request: Request) async throws -> TokenResponse {
        let (client, _) = try await clients.authenticate(
            request, bodyClientID: body.client_id, bodySecret: body.client_secret)
        guard client.publicClient else { throw FxAError.notPublicClient() }
        guard client.trusted else { throw FxAError.invalidGrantType() }
        guard session.stored.verified else { throw FxAError.unverifiedSession() }
        guard let scopeText = body.scope, let requested = RequestedScopes(parsing: scopeText), !requested.isEmpty else {
            throw FxAError.invalidOAuthParameter(["scope"])
        }
        try OAuthGrantPolicy.check(requested, for: client)
        let scope = requested.set
        let offline = try AuthorizationParameters.offline(body.access_type)
        let ttl = try lifetime(body.ttl)
        let now = clock.now()
        let authAt = session.stored.createdAt
        // The refresh token first, so the access token issued beside it can
        // name it as its parent and dies when it is revoked (RFC 7009 §2.1).
        var refresh: (token: String, hash: Data)?
        if offline {
            refresh = try await issueRefreshToken(
                client: client, uid: session.uid, scope: scope, authAt: authAt, grant: nil, session: session.idHash, at: now)
        }
        var response = try await issueAccessToken(
            client: client, uid: session.uid, scope: scope, ttl: ttl, authAt: authAt, parent: refresh?.hash, grant: nil,
            session: session.idHash, at: now)
        response.auth_at = Int64(authAt.timeIntervalSince1970)
        response.refresh_token = refresh?.token
        if scope.implies(.openid) {
            response.id_token = try await idTokens.sign(
                uid: session.uid, clientID: client.id, accessToken: response.access_token, authAt: authAt,
                amr: ["pwd", "email"], aal: 1, nonce: nil, at: now)
        }
        return response
    }

    private func redeemCode(_ body: TokenRequest, request: Request) async throws -> TokenResponse {
        let (client, secretChecked) = try await clients.authenticate(
            request, bodyClientID: body.client_id, bodySecret: body.client_secret)
        guard let codeText = body.code, let code = Hex32(hex: codeText), code.hex == codeText else {
            throw FxAError.invalidOAuthParameter(["code"])
        }
        let verifier = try body.code_verifier.map(Self.checkedVerifier)
        // A confidential client proves itself with its secret, PKCE or not.
        if !client.publicClient, !secretChecked { throw FxAError.incorrectClientSecret(client.id.hex) }
        let ttl = try lifetime(body.ttl)

        let now = clock.now()
        let codeHash = Data(SHA256.hash(data: code.bytes))
        let access = Hex32.random()
        let refresh = Hex32.random()
        let redirectURI = body.redirect_uri
        // The checks and the tokens go into the store's redemption, so the
        // code is burnt and the tokens stored in one commit.
        let outcome = try await grants.redeemCode(hash: codeHash, at: now) { record in
            try Self.checkRedemption(record, client: client, verifier: verifier, redirectURI: redirectURI, at: now)
            var tokens = [Self.accessTokenRecord(
                access, client: client, uid: record.uid, scope: record.scope, ttl: ttl, authAt: record.authAt,
                parent: nil, grant: codeHash, at: now)]
            if record.offline {
                tokens.append(Self.refreshTokenRecord(
                    refresh, client: client, uid: record.uid, scope: record.scope, authAt: record.authAt, grant: codeHash, at: now))
            }
            return tokens
        }
        let record: OAuthCodeRecord
        switch outcome {
        case .unknown:
            throw FxAError.unknownCode()
        case .replayed:
            // RFC 6749 §4.1.2: a second use revokes what the first one issued.
            try await grants.deleteTokens(grantCodeHash: codeHash)
            throw FxAError.unknownCode()
        case .redeemed(let redeemed):
            record = redeemed
        }

        var response = TokenResponse(
            access_token: try await present(access, client: client, uid: record.uid, scope: record.scope, ttl: ttl, at: now),
            scope: record.scope.description, expires_in: ttl)
        response.auth_at = Int64(record.authAt.timeIntervalSince1970)
        response.keys_jwe = record.keysJWE
        if record.offline { response.refresh_token = refresh.hex }
        if record.scope.implies(.openid) {
            response.id_token = try await idTokens.sign(
                uid: record.uid, clientID: client.id, accessToken: response.access_token, authAt: record.authAt,
                amr: record.amr, aal: record.aal, nonce: record.nonce, at: now)
        }
        return response
    }

    /// FxA's checks on a redeemed code, in FxA's order: the client it was
    /// issued to, its age, PKCE, and the redirect URI it was bound to.
    private static func checkRedemption(
        _ record: OAuthCodeRecord, client: OAuthClientRecord, verifier: String?, redirectURI: String?, at now: Date
    ) throws {
        guard record.clientID == client.id else { throw FxAError.codeOfAnotherClient() }
        guard now.timeIntervalSince(record.createdAt) <= AuthorizationCodeIssuer.codeLifetime else { throw FxAError.expiredCode() }
        switch (record.codeChallenge, verifier) {
        case (nil, nil): break
        case (let challenge?, let verifier?):
            let computed = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString
            guard Data(computed.utf8).constantTimeEquals(Data(challenge.utf8)) else { throw FxAError.incorrectCodeChallenge() }
        case (_?, nil): throw FxAError.missingPKCEParameters()
        case (nil, _?): throw FxAError.incorrectCodeChallenge()
        }
        // FxA accepts a token request without `redirect_uri` (PyFxA's
        // `trade_code` sends none) where RFC 6749 §4.1.3 requires it when
        // the authorization named one: the URI was matched exactly against
        // the registration at authorization, so the code can only have gone
        // to the client's own URI. One that is sent must be the code's.
        guard let given = redirectURI else { return }
        let bound = record.redirectURI.map { given == $0 } ?? client.redirectURIs.contains(given)
        guard bound else { throw FxAError.redirectURIMismatch(given) }
    }

    private func refresh(_ body: TokenRequest, request: Request) async throws -> TokenResponse {
        let (client, secretChecked) = try await clients.authenticate(
            request, bodyClientID: body.client_id, bodySecret: body.client_secret)
        if !client.publicClient, !secretChecked { throw FxAError.incorrectClientSecret(client.id.hex) }
        guard let text = body.refresh_token, let token = Hex32(hex: text), token.hex == text else {
            throw FxAError.invalidOAuthParameter(["refresh_token"])
        }
        let ttl = try lifetime(body.ttl)
        let hash = Data(SHA256.hash(data: token.bytes))
        guard let stored = try await grants.token(hash: hash), stored.kind == .refresh, stored.clientID == client.id else {
            throw FxAError.invalidOAuthToken()
        }
        var scope = stored.scope
        if let requestedText = body.scope {
            guard let requested = RequestedScopes(parsing: requestedText) else { throw FxAError.invalidOAuthParameter(["scope"]) }
            try checkRefreshScope(requested, granted: stored.scope, client: client)
            scope = requested.set
        }
        let now = clock.now()
        try await grants.touchToken(hash: hash, at: now)
        return try await issueAccessToken(
            client: client, uid: stored.uid, scope: Self.withoutOpenID(scope), ttl: ttl, authAt: stored.authAt,
            parent: hash, grant: nil, at: now)
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
    private func checkRefreshScope(_ requested: RequestedScopes, granted: OAuthScopeSet, client: OAuthClientRecord) throws {
        let widening = requested.named.filter { !granted.implies($0) }
        guard !widening.isEmpty else { return }
        let registered = OAuthScopeSet(client.allowedScopes.compactMap(OAuthScope.init))
        let refused = widening.filter { scope in
            !client.trusted || !registered.implies(scope) || keyBearingScopes.overlaps(scope)
        }
        guard refused.isEmpty else { throw FxAError.invalidScopes(refused) }
    }

    /// A refresh token (never carrying `openid`): the token in hex, returned
    /// once, and the hash it is stored under.
    private func issueRefreshToken(
        client: OAuthClientRecord, uid: AccountUID, scope: OAuthScopeSet, authAt: Date?, grant: Data?, session: Data? = nil,
        at now: Date
    ) async throws -> (token: String, hash: Data) {
        let refresh = Hex32.random()
        var record = Self.refreshTokenRecord(refresh, client: client, uid: uid, scope: scope, authAt: authAt, grant: grant, at: now)
        record.sessionIDHash = session
        try await grants.insertToken(record)
        return (refresh.hex, record.tokenHash)
    }

    private func issueAccessToken(
        client: OAuthClientRecord, uid: AccountUID, scope: OAuthScopeSet, ttl: Int, authAt: Date?,
        parent: Data?, grant: Data?, session: Data? = nil, at now: Date
    ) async throws -> TokenResponse {
        let token = Hex32.random()
        var record = Self.accessTokenRecord(
            token, client: client, uid: uid, scope: scope, ttl: ttl, authAt: authAt, parent: parent, grant: grant, at: now)
        record.sessionIDHash = session
        try await grants.insertToken(record)
        return TokenResponse(
            access_token: try await present(token, client: client, uid: uid, scope: scope, ttl: ttl, at: now),
            scope: scope.description, expires_in: ttl)
    }

    /// The access token as the client receives it: the opaque token in hex,
    /// or for clients that chose them a JWT whose `jti` is that token.
    private func present(
        _ token: Hex32, client: OAuthClientRecord, uid: AccountUID, scope: OAuthScopeSet, ttl: Int, at now: Date
    ) async throws -> String {
        guard client.jwtAccessTokens else { return token.hex }
        return try await accessJWT.sign(
            opaque: token, uid: uid, clientID: client.id, scope: scope, issuedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(ttl)))
    }

    private static func accessTokenRecord(
        _ token: Hex32, client: OAuthClientRecord, uid: AccountUID, scope: OAuthScopeSet, ttl: Int, authAt: Date?,
        parent: Data?, grant: Data?, at now: Date
    ) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: Data(SHA256.hash(data: token.bytes)), kind: .access, clientID: client.id, uid: uid, scope: scope,
            createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(ttl)), lastUsedAt: now,
            parentHash: parent, grantCodeHash: grant, authAt: authAt)
    }

    private static func refreshTokenRecord(
        _ token: Hex32, client: OAuthClientRecord, uid: AccountUID, scope: OAuthScopeSet, authAt: Date?, grant: Data?,
        at now: Date
    ) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: Data(SHA256.hash(data: token.bytes)), kind: .refresh, clientID: client.id, uid: uid,
            scope: withoutOpenID(scope), createdAt: now, expiresAt: nil, lastUsedAt: now, grantCodeHash: grant, authAt: authAt)
    }

    /// The requested `ttl` in seconds, positive, capped at the maximum
    /// (also the default). FxA caps rather than refuses a longer one
    /// (`lib/routes/oauth/token.js`: `ttl: Joi.number().positive()` and
    /// `Math.min(params.ttl, MAX_TTL_S)`), and clients written against its
    /// older two-week maximum still ask for more, so swift-fxa caps too;
    /// `expires_in` tells the client what it got.
    private func lifetime(_ ttl: Int?) throws -> Int {
        guard let ttl else { return Self.maximumAccessTokenLifetime }
        guard ttl > 0 else { throw FxAError.invalidOAuthParameter(["ttl"]) }
        return min(ttl, Self.maximumAccessTokenLifetime)
    }

    /// RFC 7636 §4.1: 43 to 128 unreserved characters.
    private static func checkedVerifier(_ verifier: String) throws -> String {
        guard (43...128).contains(verifier.count),
              verifier.allSatisfy({ AuthorizationParameters.isBase64URL($0) || $0 == "." || $0 == "~" })
        else { throw FxAError.invalidOAuthParameter(["code_verifier"]) }
        return verifier
    }

    /// `openid` is not carried by refresh tokens or refreshed access tokens (FxA strips it).
    private static func withoutOpenID(_ scope: OAuthScopeSet) -> OAuthScopeSet {
        OAuthScopeSet(scope.scopes.filter { $0 != .openid })
    }
}
