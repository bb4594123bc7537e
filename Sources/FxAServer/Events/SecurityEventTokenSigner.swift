import FxACore
import FxAStore
import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// Signs the Security Event Token for one delivery: RS256 with the key
/// ring's current key (its `kid` is in `/v1/jwks`), `typ: secevent+jwt`
/// (RFC 8417 §2.3). Signed at each attempt, so a key rotation is picked up;
/// the `jti` is the delivery's, the same on every attempt.
struct SecurityEventTokenSigner: Sendable {
    let keyRing: SigningKeyRing
    let issuer: PublicBaseURL
    /// The key collection for the current key, built once per key rather
    /// than per token (the worker signs thousands a second).
    private let collection = NIOLockedValueBox<(kid: String, keys: JWTKeyCollection)?>(nil)

    init(keyRing: SigningKeyRing, issuer: PublicBaseURL) {
        self.keyRing = keyRing
        self.issuer = issuer
    }

    struct Payload: JWTPayload {
        let claims: SecurityEventTokenClaims

        init(_ claims: SecurityEventTokenClaims) { self.claims = claims }
        init(from decoder: any Decoder) throws { claims = try SecurityEventTokenClaims(from: decoder) }
        func encode(to encoder: any Encoder) throws { try claims.encode(to: encoder) }
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func claims(for delivery: EventDelivery, at now: Date) -> SecurityEventTokenClaims {
        SecurityEventTokenClaims(
            iss: issuer.string, aud: delivery.clientID.hex, sub: delivery.uid.hex, iat: Int(now.timeIntervalSince1970),
            jti: delivery.jti, events: [SecurityEventURI.named(delivery.kind.rawValue): delivery.payload])
    }

    func sign(_ delivery: EventDelivery, at now: Date) async throws -> String {
        let key = try await keyRing.current()
        let keys: JWTKeyCollection
        if let cached = collection.withLockedValue({ $0 }), cached.kid == key.kid {
            keys = cached.keys
        } else {
            keys = JWTKeyCollection()
            await keys.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
            collection.withLockedValue { $0 = (key.kid, keys) }
        }
        var header = JWTHeader()
        header.typ = "secevent+jwt"
        return try await keys.sign(Payload(claims(for: delivery, at: now)), kid: JWKIdentifier(string: key.kid), header: header)
    }
}
