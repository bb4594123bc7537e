import FxACore
import Vapor

/// Discovery and key publication: what OIDC clients read before anything
/// else, and what every verifier of our ID tokens and SETs fetches.
struct DiscoveryController: RouteCollection {
    let publicURL: PublicBaseURL
    let keyRing: SigningKeyRing
    /// The Sync tokenserver announced to Firefox, if the operator runs one.
    var syncTokenserverURL: String? = nil

    func boot(routes: any RoutesBuilder) throws {
        routes.get(".well-known", "openid-configuration", use: openIDConfiguration)
        routes.get(".well-known", "oauth-authorization-server", use: openIDConfiguration)
        routes.get("v1", "jwks", use: jwks)
        routes.get(".well-known", "fxa-client-configuration", use: fxaClientConfiguration)
    }

    /// What Firefox reads when `identity.fxaccounts.autoconfig.uri` points
    /// here: one server answers for auth, OAuth and profile. The URLs carry
    /// no `/v1`: Firefox appends it (and `/1.0/sync/1.5` to the tokenserver).
    @Sendable func fxaClientConfiguration(_ request: Request) async throws -> Response {
        try await cacheable(
            FirefoxClientConfiguration(publicURL: publicURL, syncTokenserverURL: syncTokenserverURL), maxAge: 3600, for: request)
    }

    /// Cached for an hour by clients, as FxA's content server does. The
    /// RFC 8414 path serves the same document: every field in it is also
    /// defined by RFC 8414 or its registry.
    @Sendable func openIDConfiguration(_ request: Request) async throws -> Response {
        try await cacheable(OpenIDConfiguration.current(publicURL: publicURL), maxAge: 3600, for: request)
    }

    /// The current and previous public keys. A short cache lifetime keeps a
    /// rotation visible quickly; RP kits also refetch on an unknown `kid`.
    @Sendable func jwks(_ request: Request) async throws -> Response {
        try await cacheable(keyRing.jwks(), maxAge: 300, for: request)
    }

    private func cacheable(_ value: some Content, maxAge: Int, for request: Request) async throws -> Response {
        let response = try await value.encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)")
        return response
    }
}

extension JWKSet: Content {}
