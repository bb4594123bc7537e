import Crypto
import Foundation

/// An ephemeral P-256 public key as a relying party sends it in
/// `keys_jwk` (base64url of this JSON). Extra members that browsers add
/// (`ext`, `key_ops`) are ignored; `kid`, when present, is copied into the
/// JWE header.
public struct P256PublicJWK: Codable, Sendable, Equatable {
    /// Always `EC`.
    public var kty: String
    /// Always `P-256`.
    public var crv: String
    /// The point's x coordinate, 32 bytes base64url.
    public var x: String
    /// The point's y coordinate, 32 bytes base64url.
    public var y: String
    /// The RP's name for its key, echoed in the JWE header (optional).
    public var kid: String?

    /// The public half of `key`, ready for `keys_jwk`.
    public init(_ key: P256.KeyAgreement.PublicKey, kid: String? = nil) {
        let raw = key.rawRepresentation
        kty = "EC"
        crv = "P-256"
        x = raw.prefix(32).base64URLEncodedString
        y = raw.suffix(32).base64URLEncodedString
        self.kid = kid
    }

    /// The key, or `nil` when this is not a valid P-256 point.
    public var publicKey: P256.KeyAgreement.PublicKey? {
        guard kty == "EC", crv == "P-256", let x = Data(base64URLEncoded: x), let y = Data(base64URLEncoded: y),
              x.count == 32, y.count == 32
        else { return nil }
        return try? P256.KeyAgreement.PublicKey(rawRepresentation: x + y)
    }

    /// `keys_jwk` as it goes on the authorization URL: base64url of the
    /// JSON, keys sorted.
    public var keysJWKParameter: String {
        get throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(self).base64URLEncodedString
        }
    }

    /// Reads a `keys_jwk` parameter; `nil` for anything but a P-256 public key.
    public init?(keysJWKParameter text: String) {
        guard let data = Data(base64URLEncoded: text), data.count <= 4096,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["d"] == nil,
              let jwk = try? JSONDecoder().decode(P256PublicJWK.self, from: data), jwk.publicKey != nil
        else { return nil }
        self = jwk
    }
}

