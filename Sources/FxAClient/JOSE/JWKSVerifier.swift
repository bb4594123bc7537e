import Crypto
import CryptoExtras
import FxACore
import Foundation

/// The provider's signing keys from its JWKS, and RS256 verification with
/// them. Only RSA keys meant for signatures are kept; anything else in the
/// set is skipped rather than failing the whole set.
struct JWKSVerifier: Sendable {
    private let keys: [String: _RSA.Signing.PublicKey]
    /// Used for a token without `kid` only when the set has one key.
    private let onlyKey: _RSA.Signing.PublicKey?

    var keyIDs: Set<String> { Set(keys.keys) }

    private struct Entry: Decodable {
        var kty: String?
        var use: String?
        var alg: String?
        var kid: String?
        var n: String?
        var e: String?
    }

    private struct Document: Decodable { var keys: [Entry] }

    init(jwks data: Data) throws {
        guard let document = try? JSONDecoder().decode(Document.self, from: data) else {
            throw FxAClientError.malformedResponse("JWKS is not a JSON key set")
        }
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        var all: [_RSA.Signing.PublicKey] = []
        for entry in document.keys where entry.kty == "RSA" && (entry.use ?? "sig") == "sig" && (entry.alg ?? "RS256") == "RS256" {
            guard let n = entry.n.flatMap({ Data(base64URLEncoded: $0) }), let e = entry.e.flatMap({ Data(base64URLEncoded: $0) }),
                  let key = try? _RSA.Signing.PublicKey(n: n, e: e), key.keySizeInBits >= 2048
            else { continue }
            all.append(key)
            if let kid = entry.kid { keys[kid] = key }
        }
        self.keys = keys
        onlyKey = all.count == 1 ? all[0] : nil
    }

    /// Whether the set can verify a token with this header (RS256 assumed).
    func hasKey(for kid: String?) -> Bool {
        if let kid { return keys[kid] != nil }
        return onlyKey != nil
    }

    /// Checks the algorithm and the signature; on success the claims can be
    /// trusted to come from the provider.
    func verify(_ jws: CompactJWS) throws(TokenRejection) {
        guard jws.header.alg == "RS256" else { throw .unsupportedAlgorithm(jws.header.alg) }
        let key: _RSA.Signing.PublicKey?
        if let kid = jws.header.kid { key = keys[kid] } else { key = onlyKey }
        guard let key else { throw .unknownKey(jws.header.kid) }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: jws.signature)
        guard key.isValidSignature(signature, for: jws.signingInput, padding: .insecurePKCS1v1_5) else {
            throw .badSignature
        }
    }
}
