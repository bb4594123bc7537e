import Crypto
import CryptoExtras
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// RS256 JWS for the tokens every flow signs (ID tokens, Security Event
/// Tokens): the key ring's current key, converted to swift-crypto's form
/// once per key rather than once per token, and the signature computed on
/// a thread pool of its own (a thread per core; not the password-hashing
/// pool, whose scrypt runs would make a token exchange wait) rather than on
/// the event loop that serves the request, where each signature (about
/// 0.6 ms) held up every other connection of that loop. The header is
/// `alg`, `kid` and `typ`.
struct RS256Signer: Sendable {
    let keyRing: SigningKeyRing
    let threadPool: NIOThreadPool
    /// The current key in swift-crypto's form. A class box: copies of this
    /// signer share it.
    private let cached = NIOLockedValueBox<(kid: String, key: _RSA.Signing.PrivateKey)?>(nil)

    init(keyRing: SigningKeyRing, threadPool: NIOThreadPool) {
        self.keyRing = keyRing
        self.threadPool = threadPool
    }

    private struct Header: Encodable {
        let alg = "RS256"
        let kid: String
        let typ: String
    }

    /// `header.claims.signature`, base64url each, with `typ` in the header.
    /// Claims are encoded with sorted keys and unescaped slashes; dates in
    /// them must already be numbers (JWT NumericDate).
    func sign(_ claims: some Encodable, type: String) async throws -> String {
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
        let input = try encoder.encode(Header(kid: current.kid, typ: type)).base64URLEncodedString + "."
            + encoder.encode(claims).base64URLEncodedString
        let signature = try await threadPool.runIfActive {
            try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
        }
        return input + "." + signature.rawRepresentation.base64URLEncodedString
    }
}
