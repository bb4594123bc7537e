import Crypto
import Foundation

/// A token just minted for a client: the raw value handed out once, and
/// what the server keeps of it.
public struct IssuedToken: Sendable {
    /// The 32 random bytes the client receives as 64 hex characters. Never
    /// stored, never logged.
    public let raw: Hex32
    public let derived: DerivedToken

    /// Mints a fresh token of `kind` from the CSPRNG.
    public init(kind: FxATokenKind) {
        raw = .random()
        derived = DerivedToken(token: raw.bytes, kind: kind)
    }
}

/// How a token's secrets are kept in the database: found by `TokenHash(of: id)`,
/// with its Hawk and bundle keys XOR-wrapped under a key derived from the
/// id. Only a request that carries the id can find the row and unwrap the
/// keys, so the table alone yields no usable credential.
public enum TokenAtRest {
    /// `hawkKey || extraKey`, wrapped for storage.
    public static func wrapKeys(of token: DerivedToken) -> Data {
        (token.hawkKey + token.extraKey).xor(pad(for: token.id))
    }

    /// The Hawk key and extra key of a stored token, given its id.
    public static func unwrapKeys(_ wrapped: Data, id: Data) -> (hawkKey: Data, extraKey: Data)? {
        guard wrapped.count == 64 else { return nil }
        let keys = wrapped.xor(pad(for: id))
        return (keys.prefix(32), keys.suffix(32))
    }

    private static func pad(for id: Data) -> Data {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: id), salt: Data(),
            info: Data("swift-fxa/token-keys-at-rest".utf8), outputByteCount: 64)
        return key.withUnsafeBytes { Data($0) }
    }
}
