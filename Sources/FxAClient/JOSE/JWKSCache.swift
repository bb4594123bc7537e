import FxACore
import Foundation

/// The provider's JWKS, fetched once and refetched when a token names a key
/// the cache does not hold (the provider rotated its keys). Refetches are
/// spaced by ``minimumRefreshInterval`` so that a stream of tokens with a
/// made-up `kid` cannot turn the RP into a load generator against the
/// provider.
actor JWKSCache {
    private let url: URL
    private let transport: any FxAHTTPTransport
    private let clock: any WallClock
    private var verifier: JWKSVerifier?
    private var lastFetch: Date?
    let minimumRefreshInterval: TimeInterval

    init(url: URL, transport: any FxAHTTPTransport, clock: any WallClock, minimumRefreshInterval: TimeInterval = 30) {
        self.url = url
        self.transport = transport
        self.clock = clock
        self.minimumRefreshInterval = minimumRefreshInterval
    }

    /// Verifies a token's signature, refetching the JWKS once when its
    /// `kid` is unknown.
    func verify(_ jws: CompactJWS) async throws {
        guard jws.header.alg == "RS256" else { throw TokenRejection.unsupportedAlgorithm(jws.header.alg) }
        var current = try await loaded()
        if !current.hasKey(for: jws.header.kid), lastFetch.map({ clock.now().timeIntervalSince($0) >= minimumRefreshInterval }) ?? true {
            current = try await fetch()
        }
        try current.verify(jws)
    }

    private func loaded() async throws -> JWKSVerifier {
        if let verifier { return verifier }
        return try await fetch()
    }

    private func fetch() async throws -> JWKSVerifier {
        lastFetch = clock.now()
        let response = try await transport.send(FxAHTTPRequest(method: .get, url: url))
        guard response.status == 200 else {
            throw FxAClientError.providerError(status: response.status, errno: nil, error: nil, message: "JWKS fetch failed")
        }
        let fresh = try JWKSVerifier(jwks: response.body)
        verifier = fresh
        return fresh
    }
}
