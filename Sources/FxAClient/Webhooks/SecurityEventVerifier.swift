import FxACore
import Foundation

/// Verifies the Security Event Tokens FxA POSTs to an RP's webhook: the
/// `Authorization: Bearer` header's JWT is checked against the provider's
/// JWKS (RS256, `kid` refetched when unknown), `iss` must be the provider,
/// `aud` this client's id, `iat` recent (within ``maximumAge`` and not in
/// the future beyond the skew), and the `jti` new to the ``SeenTokenStore``.
///
/// The `jti` is recorded as seen when the token verifies. If handling the
/// events then fails, call ``release(_:)`` and answer non-2xx: the provider
/// retries with the same `jti`, which must then be accepted again. A
/// replay of a handled token fails with ``TokenRejection/replayed``; since
/// its signature was valid, answering it 2xx (and doing nothing) is safe
/// and stops a provider that delivered twice from retrying.
public struct SecurityEventVerifier: Sendable {
    let issuer: String
    let clientID: String
    let keys: JWKSCache
    let seen: any SeenTokenStore
    let clock: any WallClock
    /// How old a token's `iat` may be. FxA signs a SET when it sends it, so
    /// minutes suffice even for retried deliveries.
    public let maximumAge: TimeInterval
    /// How far in the future `iat` may be.
    public let clockSkew: TimeInterval

    init(
        issuer: String, clientID: String, keys: JWKSCache, seen: any SeenTokenStore, clock: any WallClock,
        maximumAge: TimeInterval, clockSkew: TimeInterval
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.seen = seen
        self.clock = clock
        self.maximumAge = maximumAge
        self.clockSkew = clockSkew
    }

    /// The claims as received. `iat` is read as a number, not an integer:
    /// Mozilla's event broker writes fractional seconds.
    private struct Claims: Decodable {
        var iss: String
        var aud: String
        var sub: String
        var iat: Double
        var jti: String
        var events: [String: [String: JSONValue]]
    }

    /// Verifies the value of an `Authorization` header.
    public func verify(authorizationHeader: String?) async throws -> FxASecurityEvent {
        guard let header = authorizationHeader, header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw FxAClientError.invalidSecurityEventToken(.missingBearer)
        }
        return try await verify(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }

    /// Forgets a `jti` whose events could not be handled, so that the
    /// provider's retry is accepted.
    public func release(_ jti: String) async throws {
        try await seen.remove(jti)
    }

    /// Verifies a SET given as a compact JWS.
    public func verify(token: String) async throws -> FxASecurityEvent {
        do {
            let jws = try CompactJWS(token)
            try await keys.verify(jws)
            let claims = try jws.claims(as: Claims.self)
            let now = clock.now()
            guard ProviderMetadata.sameIssuer(claims.iss, issuer) else { throw TokenRejection.wrongIssuer }
            guard claims.aud == clientID else { throw TokenRejection.wrongAudience }
            let issued = Date(timeIntervalSince1970: claims.iat)
            guard issued.timeIntervalSince(now) <= clockSkew, now.timeIntervalSince(issued) <= maximumAge else {
                throw TokenRejection.issuedAtOutOfRange
            }
            guard !claims.jti.isEmpty else { throw TokenRejection.missingClaim("jti") }
            let expiresAt = issued.addingTimeInterval(maximumAge + clockSkew)
            guard try await seen.insertIfAbsent(claims.jti, expiresAt: expiresAt) else { throw TokenRejection.replayed }
            let events = claims.events.sorted { $0.key < $1.key }.map { FxAEvent(uri: $0.key, fields: $0.value) }
            return FxASecurityEvent(uid: claims.sub, jti: claims.jti, issuedAt: issued, events: events)
        } catch let rejection as TokenRejection {
            throw FxAClientError.invalidSecurityEventToken(rejection)
        }
    }
}
