import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// An RSA-2048 key pair that signs ID tokens, JWT access tokens and Security
/// Event Tokens with RS256, as FxA does.
///
/// The key id is the RFC 7638 JWK thumbprint of the public key: the same key
/// gets the same `kid` whether it was generated here or loaded from an
/// operator's PEM file, on every instance, with no extra state to keep.
public struct RSASigningKey: Sendable {
    /// The JWK thumbprint, used as `kid` in JWT headers and in the JWKS.
    public let kid: String
    /// The private key, as JWTKit signs with it.
    public let privateKey: JWTKit.Insecure.RSA.PrivateKey
    /// The public half in JWK form, ready for `/v1/jwks`.
    public let publicJWK: RSAPublicJWK

    /// The smallest modulus accepted, in bits. FxA uses 2048; smaller keys
    /// are refused rather than silently weakening every token.
    public static let minimumBits = 2048

    /// Generates a fresh RSA-2048 key from the system CSPRNG.
    public static func generate() throws -> RSASigningKey {
        let backing = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try RSASigningKey(pem: backing.pemRepresentation)
    }

    /// Loads a PKCS#1 or PKCS#8 PEM private key.
    ///
    /// - Throws: ``FxAError`` with errno 100 (server configuration error) when
    ///   the text is not an RSA private key of at least 2048 bits.
    public init(pem: String) throws {
        let key: JWTKit.Insecure.RSA.PrivateKey
        do {
            key = try JWTKit.Insecure.RSA.PrivateKey(pem: pem)
        } catch {
            throw FxAError(
                status: 500, errno: .auth(.serverConfigError),
                message: "The signing key is not an RSA private key of at least \(Self.minimumBits) bits")
        }
        let primitives = try key.publicKey.getKeyPrimitives()
        let n = primitives.modulus.base64URLEncodedString
        let e = primitives.publicExponent.base64URLEncodedString
        let kid = RSAPublicJWK.thumbprint(n: n, e: e)
        self.kid = kid
        self.privateKey = key
        self.publicJWK = RSAPublicJWK(kid: kid, n: n, e: e)
    }

    /// The private key as PKCS#8 PEM, for storage.
    public var pemRepresentation: String { privateKey.pemRepresentation }
}

/// The public part of an RSA signing key as published in a JWKS
/// (`{"kty":"RSA","alg":"RS256","use":"sig","kid","n","e"}`), the form FxA's
/// `/v1/jwks` uses and OIDC clients read.
public struct RSAPublicJWK: Codable, Sendable, Equatable {
    public var kty: String = "RSA"
    public var alg: String = "RS256"
    public var use: String = "sig"
    public var kid: String
    /// Modulus, base64url without padding.
    public var n: String
    /// Public exponent, base64url without padding.
    public var e: String

    public init(kid: String, n: String, e: String) {
        self.kid = kid
        self.n = n
        self.e = e
    }

    /// RFC 7638 thumbprint: SHA-256 over the required members in
    /// lexicographic order with no whitespace, base64url-encoded.
    public static func thumbprint(n: String, e: String) -> String {
        let canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        return Data(SHA256.hash(data: Data(canonical.utf8))).base64URLEncodedString
    }
}

/// A JSON Web Key Set: `{"keys": [...]}`.
public struct JWKSet: Codable, Sendable, Equatable {
    public var keys: [RSAPublicJWK]
    public init(keys: [RSAPublicJWK]) { self.keys = keys }
}
