import Crypto
import CryptoExtras
import FxACore
import FxAStore
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// Signs the Security Event Token for one delivery: RS256 with the key
/// ring's current key (its `kid` is in `/v1/jwks`), `typ: secevent+jwt`
/// (RFC 8417 §2.3). Signed at each attempt, so a key rotation is picked up;
/// the `jti` is the delivery's, the same on every attempt.
///
/// RSA signing is most of what the delivery worker does (bench/events), so
/// the JWS is assembled here and the signature computed on a thread pool
/// with a thread per core: through JWTKit's key collection (an actor) or on
/// the worker's event loop, every signature in the process queued on one
/// thread.
struct SecurityEventTokenSigner: Sendable {
    let keyRing: SigningKeyRing
    let issuer: PublicBaseURL
    let threadPool: NIOThreadPool
    /// The current key in swift-crypto's form, converted once per key.
    private let cached = NIOLockedValueBox<(kid: String, key: _RSA.Signing.PrivateKey)?>(nil)

    init(keyRing: SigningKeyRing, issuer: PublicBaseURL, threadPool: NIOThreadPool) {
        self.keyRing = keyRing
        self.issuer = issuer
        self.threadPool = threadPool
    }

    private struct Header: Encodable {
        let alg = "RS256"
        let kid: String
        let typ = "secevent+jwt"
    }

    func claims(for delivery: EventDelivery, at now: Date) -> SecurityEventTokenClaims {
        SecurityEventTokenClaims(
            iss: issuer.string, aud: delivery.clientID.hex, sub: delivery.uid.hex, iat: Int(now.timeIntervalSince1970),
            jti: delivery.jti, events: [SecurityEventURI.named(delivery.kind.rawValue): delivery.payload])
    }

    func sign(_ delivery: EventDelivery, at now: Date) async throws -> String {
        let current = try await keyRing.current()
        let key: _RSA.Signing.PrivateKey
        if let hit = cached.withLockedValue({ $0 }), hit.kid == current.kid {
            key = hit.key
        } else {
            key = try _RSA.Signing.PrivateKey(derRepresentation: current.privateKey.derRepresentation)
            cached.withLockedValue { $0 = (current.kid, key) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let input = try encoder.encode(Header(kid: current.kid)).base64URLEncodedString + "."
            + encoder.encode(claims(for: delivery, at: now)).base64URLEncodedString
        let signature = try await threadPool.runIfActive {
            try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        }
        return input + "." + signature.rawRepresentation.base64URLEncodedString
    }
}
