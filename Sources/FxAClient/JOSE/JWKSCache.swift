import FxACore
import Foundation

/// The provider's JWKS, fetched on first use and again when a token names a
/// key the cache does not hold (the provider rotated its keys) or when the
/// cached set is older than ``maximumAge`` (so a key the provider withdrew
/// stops being trusted). Fetches are spaced by ``minimumRefreshInterval``,
/// failed ones included, so that a stream of tokens with a made-up `kid`
/// (or a provider that is down) cannot turn the RP into a load generator.
/// A failed refresh keeps the keys already held.
actor JWKSCache {
    private let url: URL
    private let transport: any FxAHTTPTransport
    private let clock: any WallClock
    private var verifier: JWKSVerifier?
    private var fetchedAt: Date?
    private var lastAttempt: Date?
    let minimumRefreshInterval: TimeInterval
    let maximumAge: TimeInterval

    init(
        url: URL, transport: any FxAHTTPTransport, clock: any WallClock, minimumRefreshInterval: TimeInterval = 30,
        maximumAge: TimeInterval = 3600
    ) {
        self.url = url
        self.transport = transport
        self.clock = clock
        self.minimumRefreshInterval = minimumRefreshInterval
        self.maximumAge = maximumAge
    }

    /// Verifies a token's signature, refetching the JWKS once when its
    /// `kid` is unknown or the set is stale.
    func verify(_ jws: CompactJWS) async throws {
        guard jws.header.alg == "RS256" else { throw TokenRejection.unsupportedAlgorithm(jws.header.alg) }
        let now = clock.now()
        let stale = fetchedAt.map { now.timeIntervalSince($0) >= maximumAge } ?? true
        let unknown = !(verifier?.hasKey(for: jws.header.kid) ?? false)
        if stale || unknown, mayAttempt(at: now) {
            await refresh(at: now)
        }
        guard let current = verifier else {
            throw FxAClientError.providerError(status: 503, errno: nil, error: nil, message: "the provider's keys are unavailable")
        }
        try current.verify(jws)
    }

    private func mayAttempt(at now: Date) -> Bool {
        lastAttempt.map { now.timeIntervalSince($0) >= minimumRefreshInterval } ?? true
    }

    /// Fetches the set; on failure keeps what it had.
    private func refresh(at now: Date) async {
        lastAttempt = now
        guard let response = try? await transport.send(FxAHTTPRequest(method: .get, url: url)), response.status == 200,
              let fresh = try? JWKSVerifier(jwks: response.body)
        else { return }
        verifier = fresh
        fetchedAt = now
    }
}
