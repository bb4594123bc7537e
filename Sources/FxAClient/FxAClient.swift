import Crypto
import FxACore
import Foundation

/// The relying-party side of FxA: everything between "Sign in" and "signed
/// out", done the way FxA's integration checklist asks.
///
/// One instance per app. It fetches the provider's discovery document and
/// JWKS on first use and caches them (the JWKS is refetched when a token
/// names an unknown key). It holds no per-user state: what a sign-in needs
/// between the redirect and the callback is a ``PendingAuthorization`` that
/// the app keeps in its session.
public final class FxAClient: Sendable {
    /// What this client was configured with.
    public let configuration: FxAClientConfiguration
    let transport: any FxAHTTPTransport
    let clock: any WallClock
    private let discovery: DiscoveryCache

    /// Nothing is fetched until first use. `transport` is usually an ``AsyncHTTPClientTransport``; `clock` is injectable for tests.
    public init(configuration: FxAClientConfiguration, transport: any FxAHTTPTransport, clock: any WallClock = SystemWallClock()) {
        self.configuration = configuration
        self.transport = transport
        self.clock = clock
        discovery = DiscoveryCache(provider: configuration.provider, transport: transport, clock: clock)
    }

    /// The provider's metadata, fetched once.
    public func metadata() async throws -> ProviderMetadata {
        try await discovery.metadata()
    }

    // MARK: Authorization

    /// A request with the configured scopes; set optional parameters on it,
    /// then pass it to ``prepare(_:)``.
    public func authorizationRequest(entrypoint: Entrypoint) -> AuthorizationRequest {
        AuthorizationRequest(entrypoint: entrypoint, scope: configuration.scope)
    }

    /// The URL to send the browser to and the ``PendingAuthorization`` to
    /// keep in the session until the callback.
    public func prepare(_ request: AuthorizationRequest) async throws -> (url: URL, pending: PendingAuthorization) {
        try request.prepare(
            metadata: try await metadata(), credentials: configuration.credentials,
            redirectURI: configuration.redirectURI, now: clock.now(), pkce: configuration.pkce)
    }

    /// Begins a metrics flow for an RP-hosted email-first form (FxA's
    /// `/metrics-flow` with `form_type=email`). Mozilla's server answers
    /// only requests whose `Origin` it allows, so the call names the
    /// redirect URI's origin (ask Mozilla to allow it), and passes on the
    /// user's `User-Agent` so the flow describes the user's browser. A
    /// page may also call `/metrics-flow` itself from the browser and hand
    /// the result to ``AuthorizationRequest/metricsFlow``.
    public func beginMetricsFlow(
        entrypoint: Entrypoint, utm: UTMParameters = UTMParameters(), userAgent: String? = nil
    ) async throws -> MetricsFlow {
        guard var components = URLComponents(url: try await metadata().metricsFlowEndpoint, resolvingAgainstBaseURL: false)
        else { throw FxAClientError.unsupportedByProvider("/metrics-flow") }
        components.queryItems = [
            URLQueryItem(name: "entrypoint", value: entrypoint.value),
            URLQueryItem(name: "form_type", value: "email"),
        ] + utm.queryItems
        guard let url = components.url else { throw FxAClientError.unsupportedByProvider("/metrics-flow") }
        var headers: [(name: String, value: String)] = []
        if let scheme = configuration.redirectURI.scheme, let host = configuration.redirectURI.host {
            headers.append(("Origin", "\(scheme)://\(host)" + (configuration.redirectURI.port.map { ":\($0)" } ?? "")))
        }
        if let userAgent { headers.append(("User-Agent", userAgent)) }
        let response = try await transport.send(FxAHTTPRequest(method: .get, url: url, headers: headers))
        if response.status == 404 { throw FxAClientError.unsupportedByProvider("/metrics-flow") }
        return try response.decode(MetricsFlow.self, what: "metrics flow")
    }

    /// Completes a sign-in from the provider's redirect: the state must be
    /// the session's (constant-time compare), the pending authorization
    /// fresh; then the code is exchanged (secret and PKCE verifier), the ID
    /// token validated, and the profile fetched.
    ///
    /// The caller must remove `pending` from the session before calling, so
    /// that a replayed callback finds none (``FxAClientError/noPendingAuthorization``).
    public func completeAuthorization(_ callback: AuthorizationCallback, pending: PendingAuthorization?) async throws -> FxASignIn {
        guard let pending else { throw FxAClientError.noPendingAuthorization }
        guard let state = callback.state, pending.matches(state: state) else { throw FxAClientError.stateMismatch }
        guard clock.now().timeIntervalSince(pending.createdAt) <= configuration.authorizationLifetime else {
            throw FxAClientError.noPendingAuthorization
        }
        if let error = callback.error {
            throw FxAClientError.authorizationDenied(error: error, description: callback.errorDescription)
        }
        guard let code = callback.code, !code.isEmpty else { throw FxAClientError.missingAuthorizationCode }
        let tokens = try await exchange(code: code, pending: pending)
        var claims: IDTokenClaims?
        if let idToken = tokens.idToken {
            claims = try await validateIDToken(idToken, nonce: pending.nonce, accessToken: tokens.accessToken)
        } else if pending.scope.split(separator: " ").contains("openid") {
            throw FxAClientError.invalidIDToken(.missingClaim("id_token"))
        }
        // The profile needs a profile (or OIDC email) scope; with `openid`
        // alone the ID token is all there is to know.
        let scopes = pending.scope.split(separator: " ")
        let profile: FxAProfile
        if scopes.contains(where: { $0.hasPrefix("profile") || $0 == "email" }) {
            profile = try await self.profile(accessToken: tokens.accessToken)
        } else if let claims {
            profile = FxAProfile(uid: claims.sub)
        } else {
            throw FxAClientError.unsupportedByProvider("a sign-in without profile or openid scope")
        }
        if let claims, profile.uid != claims.sub {
            // The profile must be about the user the ID token names.
            throw FxAClientError.invalidIDToken(.subjectMismatch)
        }
        var signIn = FxASignIn(tokens: tokens, idToken: claims, profile: profile, returnTo: pending.returnTo)
        if let jwe = tokens.keysJWE {
            signIn.scopedKeys = try Self.openScopedKeys(jwe, pending: pending)
        } else if pending.scopedKeysPrivateKey != nil {
            // Asked for and not sent: signing in without them would leave the
            // RP unable to read the user's data, with nothing saying why.
            throw FxAClientError.invalidScopedKeys("keys were asked for (keys_jwk) but no keys_jwe came back")
        }
        return signIn
    }

    /// Decrypts `keys_jwe` with the pending authorization's ephemeral key
    /// and checks each key as Firefox does: `kty` oct, `scope` equal to its
    /// name, a `<number>-<fingerprint>` kid, `k` unpadded base64url.
    static func openScopedKeys(_ jwe: String, pending: PendingAuthorization) throws -> [String: ScopedKey] {
        guard let raw = pending.scopedKeysPrivateKey.flatMap({ Data(base64URLEncoded: $0) }),
              let privateKey = try? P256.KeyAgreement.PrivateKey(rawRepresentation: raw)
        else { throw FxAClientError.invalidScopedKeys("keys_jwe arrived but no key was asked for") }
        let plaintext: Data
        do {
            plaintext = try KeysJWE.decrypt(jwe, with: privateKey)
        } catch {
            throw FxAClientError.invalidScopedKeys("keys_jwe does not open: \(error)")
        }
        guard let keys = try? JSONDecoder().decode([String: ScopedKey].self, from: plaintext) else {
            throw FxAClientError.invalidScopedKeys("keys_jwe does not hold scoped keys")
        }
        for (scope, key) in keys {
            let kid = key.kid.split(separator: "-", maxSplits: 1)
            guard key.kty == "oct", key.scope == scope, kid.count == 2, Int64(kid[0]).map({ $0 > 0 }) == true,
                  !key.k.contains("="), key.keyBytes?.isEmpty == false, Data(base64URLEncoded: kid[1]) != nil
            else { throw FxAClientError.invalidScopedKeys("the key for \(scope) is malformed") }
        }
        return keys
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3 with PKCE).
    public func exchange(code: String, pending: PendingAuthorization) async throws -> TokenSet {
        var fields = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", pending.redirectURI.absoluteString),
        ]
        if let pair = pending.pkce { fields.append(("code_verifier", pair.verifier)) }
        fields += clientAuthentication()
        let response = try await transport.send(.form(try await metadata().tokenEndpoint, fields))
        return try response.decode(TokenSet.self, what: "token response")
    }

    /// Validates an ID token against the provider's keys and this client.
    public func validateIDToken(_ token: String, nonce: String, accessToken: String?) async throws -> IDTokenClaims {
        let metadata = try await metadata()
        let validator = IDTokenValidator(
            issuer: metadata.issuer, clientID: configuration.credentials.clientID, clockSkew: configuration.clockSkew,
            requireNonce: configuration.requireIDTokenNonce, keys: try await discovery.keys())
        return try await validator.validate(token, nonce: nonce, accessToken: accessToken, now: clock.now())
    }

    // MARK: Tokens and profile

    /// The user's profile (FxA `/v1/profile`, or the OIDC userinfo endpoint).
    public func profile(accessToken: String) async throws -> FxAProfile {
        guard let url = try await metadata().userinfoEndpoint else {
            throw FxAClientError.unsupportedByProvider("a userinfo/profile endpoint")
        }
        let response = try await transport.send(
            FxAHTTPRequest(method: .get, url: url, headers: [("Authorization", "Bearer \(accessToken)")]))
        return try response.decode(FxAProfile.self, what: "profile")
    }

    /// A new access token from a refresh token (optionally fewer scopes).
    public func refresh(refreshToken: String, scope: OAuthScopeSet? = nil) async throws -> TokenSet {
        var fields = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if let scope { fields.append(("scope", scope.description)) }
        fields += clientAuthentication()
        let response = try await transport.send(.form(try await metadata().tokenEndpoint, fields))
        var tokens = try response.decode(TokenSet.self, what: "token response")
        // FxA answers a refresh without a new refresh token: keep the old one.
        if tokens.refreshToken == nil { tokens.refreshToken = refreshToken }
        return tokens
    }

    /// Whom an access token belongs to, and whether it is alive (FxA
    /// `/v1/verify`; a dead token is ``FxAClientError/providerError``).
    public func verify(accessToken: String) async throws -> TokenVerification {
        guard let url = try await metadata().verifyEndpoint else {
            throw FxAClientError.unsupportedByProvider("/v1/verify")
        }
        let response = try await transport.send(.json(url, ["token": accessToken]))
        return try response.decode(TokenVerification.self, what: "verify response")
    }

    /// Which kind of token ``destroy(token:kind:)`` is given.
    public enum TokenKind: String, Sendable {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
    }

    /// Destroys a token at the provider (RFC 7009 revocation; FxA
    /// `/v1/destroy`). A token that is already dead is not an error.
    public func destroy(token: String, kind: TokenKind) async throws {
        guard let url = try await metadata().destroyEndpoint else {
            throw FxAClientError.unsupportedByProvider("token revocation")
        }
        // FxA's own `/v1/destroy` (Mozilla's `revocation_endpoint`) names the
        // field after the kind; RFC 7009 endpoints take `token` and a hint.
        let tokenFields = url.path.hasSuffix("/v1/destroy")
            ? [(kind.rawValue, token)] : [("token", token), ("token_type_hint", kind.rawValue)]
        let fields = tokenFields + clientAuthentication()
        let response = try await transport.send(.form(url, fields))
        do {
            try response.requireSuccess()
        } catch FxAClientError.providerError(400, 108, _, _) {
            // FxA's "invalid token": it is already dead, which is the goal.
        }
    }

    /// Signs out at the provider: destroys the refresh token and the access
    /// token, as FxA's checklist asks ("destroy any outstanding tokens").
    /// Both are attempted even if the first fails; the first error is thrown.
    public func signOut(_ tokens: TokenSet) async throws {
        var firstError: (any Error)?
        if let refreshToken = tokens.refreshToken {
            do { try await destroy(token: refreshToken, kind: .refreshToken) } catch { firstError = error }
        }
        do { try await destroy(token: tokens.accessToken, kind: .accessToken) } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    // MARK: Webhooks

    /// A verifier for the Security Event Tokens the provider sends to this
    /// client's webhook.
    public func securityEventVerifier(
        seen: any SeenTokenStore, maximumAge: TimeInterval = 600
    ) async throws -> SecurityEventVerifier {
        let metadata = try await metadata()
        return SecurityEventVerifier(
            issuer: metadata.issuer, clientID: configuration.credentials.clientID, keys: try await discovery.keys(),
            seen: seen, clock: clock, maximumAge: maximumAge, clockSkew: configuration.clockSkew)
    }

    private func clientAuthentication() -> [(String, String)] {
        var fields = [("client_id", configuration.credentials.clientID)]
        if let secret = configuration.credentials.secret { fields.append(("client_secret", secret.reveal())) }
        return fields
    }
}
