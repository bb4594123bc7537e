import Crypto
import FxACore
import FxAStore
import Foundation

/// Signs the Security Event Token for one delivery: RS256 with the key
/// ring's current key (its `kid` is in `/v1/jwks`), `typ: secevent+jwt`
/// (RFC 8417 §2.3). Signed at each attempt, so a key rotation is picked up;
/// the `jti` is the delivery's, the same on every attempt.
///
/// RSA signing is most of what the delivery worker does (bench/events), so
/// the signature is computed on the CPU pool (``RS256Signer``): through
/// JWTKit's key collection (an actor) or on the worker's event loop, every
/// signature in the process queued on one thread.
struct SecurityEventTokenSigner: Sendable {
    let signer: RS256Signer
    let issuer: PublicBaseURL

    func claims(for delivery: EventDelivery, at now: Date) -> SecurityEventTokenClaims {
        SecurityEventTokenClaims(
            iss: issuer.string, aud: delivery.clientID.hex, sub: delivery.uid.hex, iat: Int(now.timeIntervalSince1970),
            jti: delivery.jti, events: [SecurityEventURI.named(delivery.kind.rawValue): delivery.payload])
    }

    func sign(_ delivery: EventDelivery, at now: Date) async throws -> String {
        try await signer.sign(claims(for: delivery, at: now), type: "secevent+jwt")
    }
}
