import Foundation

/// The parts of a provider's OpenID Provider metadata the kit uses, plus
/// the FxA endpoints that discovery does not list but that sit at fixed
/// places next to the listed ones.
public struct ProviderMetadata: Sendable, Equatable, Decodable {
    /// Must be the configured issuer; tokens must name it as `iss`.
    public var issuer: String
    /// Where browsers are sent to sign in.
    public var authorizationEndpoint: URL
    /// Where codes and refresh tokens are exchanged.
    public var tokenEndpoint: URL
    /// The signing keys of ID tokens and SETs.
    public var jwksURI: URL
    /// FxA's `/v1/profile`, or the OIDC userinfo endpoint.
    public var userinfoEndpoint: URL?
    /// Token destruction, when advertised (see ``destroyEndpoint``).
    public var revocationEndpoint: URL?
    /// RFC 7662 introspection, when advertised.
    public var introspectionEndpoint: URL?
    /// PKCE methods; Mozilla's FxA does not list them (see ``PKCEUse``).
    public var codeChallengeMethodsSupported: [String]?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint"
        case revocationEndpoint = "revocation_endpoint"
        case introspectionEndpoint = "introspection_endpoint"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
    }

    /// Metadata from its parts (tests, or an RP that pins its provider's endpoints).
    public init(
        issuer: String, authorizationEndpoint: URL, tokenEndpoint: URL, jwksURI: URL, userinfoEndpoint: URL? = nil,
        revocationEndpoint: URL? = nil, introspectionEndpoint: URL? = nil, codeChallengeMethodsSupported: [String]? = nil
    ) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.jwksURI = jwksURI
        self.userinfoEndpoint = userinfoEndpoint
        self.revocationEndpoint = revocationEndpoint
        self.introspectionEndpoint = introspectionEndpoint
        self.codeChallengeMethodsSupported = codeChallengeMethodsSupported
    }

    /// FxA's `POST /v1/verify`, next to its `/v1/token` (both on
    /// oauth.accounts.firefox.com in production). `nil` for providers whose
    /// token endpoint is not FxA-shaped: they have no such endpoint.
    public var verifyEndpoint: URL? {
        guard tokenEndpoint.path.hasSuffix("/v1/token") else { return nil }
        return tokenEndpoint.deletingLastPathComponent().appendingPathComponent("verify")
    }

    /// Where tokens are destroyed: `revocation_endpoint` (or, for an
    /// FxA-shaped provider without one, `/v1/destroy` beside `/v1/token`),
    /// which is FxA's
    /// `POST /v1/destroy` on Mozilla's servers (fields `access_token` /
    /// `refresh_token`) and the RFC 7009 `/v1/oauth/destroy` on ours
    /// (`token` with `token_type_hint`); ``FxAClient/destroy(token:kind:)``
    /// speaks whichever the path says.
    public var destroyEndpoint: URL? {
        if let revocationEndpoint { return revocationEndpoint }
        // Mozilla's published discovery document has no
        // `revocation_endpoint`; its `/v1/destroy` sits next to `/v1/token`.
        guard tokenEndpoint.path.hasSuffix("/v1/token") else { return nil }
        return tokenEndpoint.deletingLastPathComponent().appendingPathComponent("destroy")
    }

    /// The content server's `GET /metrics-flow`, beside `/authorization`.
    /// Only FxA has it; a generic provider answers 404 and the email-first
    /// helper reports that.
    public var metricsFlowEndpoint: URL {
        authorizationEndpoint.deletingLastPathComponent().appendingPathComponent("metrics-flow")
    }

    /// Issuers compared without a trailing slash: Mozilla's documentation
    /// writes `https://accounts.firefox.com/` while its code and tokens say
    /// `https://accounts.firefox.com`.
    static func sameIssuer(_ a: String, _ b: String) -> Bool {
        func trimmed(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }
        return trimmed(a) == trimmed(b)
    }

    /// Checks OIDC Discovery §4.3: the document must be about the issuer
    /// the RP configured, or an attacker able to serve it could name
    /// another issuer whose tokens would then be accepted.
    func validated(for provider: FxAProvider) throws -> ProviderMetadata {
        let expected = provider.issuerString
        guard Self.sameIssuer(issuer, expected) else {
            throw FxAClientError.discoveryFailed("issuer \(issuer) is not the configured \(expected)")
        }
        if let methods = codeChallengeMethodsSupported, !methods.contains("S256") {
            throw FxAClientError.discoveryFailed("the provider does not support PKCE S256")
        }
        return self
    }
}
