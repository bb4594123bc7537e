import Foundation

/// One scoped encryption key as FxA hands it to a relying party inside
/// `keys_jwe`: a JWK of type `oct` named by its `scope`, with a `kid` that
/// changes when the key does (a password reset gives a new kB, hence new
/// keys and a new `kid`; a password change keeps both).
public struct ScopedKey: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Always `oct`.
    public var kty: String
    /// The key-bearing scope (e.g. `https://identity.mozilla.com/apps/oldsync`).
    public var scope: String
    /// The key bytes, base64url without padding (64 bytes for Sync, 32 otherwise).
    public var k: String
    /// `<timestamp>-<base64url fingerprint>`: which key this is.
    public var kid: String

    /// A key of `scope` with bytes `key` (encoded here) and its `kid`.
    public init(scope: String, key: Data, kid: String) {
        kty = "oct"
        self.scope = scope
        k = key.base64URLEncodedString
        self.kid = kid
    }

    /// The key bytes.
    public var keyBytes: Data? { Data(base64URLEncoded: k) }

    /// The key is a secret: printed without `k`.
    public var description: String { "scoped key \(scope) (\(kid))" }
}

