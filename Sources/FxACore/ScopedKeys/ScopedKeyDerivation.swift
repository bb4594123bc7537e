import Crypto
import Foundation

/// FxA's derivation of scoped keys from kB (fxa-crypto-relier's
/// `ScopedKeys`, Firefox's `FxAccountsKeys`), computed only where kB is
/// known: in the user's browser, or in tests. The server never sees kB.
public enum ScopedKeyDerivation {
    /// Sync's scope, whose key is the legacy `kSync` (see ``derive(kB:uid:identifier:keyRotationSecret:keyRotationTimestamp:)``).
    public static let oldsync = OAuthScope.oldsync.value
    /// Thunderbird's Sync scope, derived like `oldsync` by FxA's own pages.
    public static let thunderbirdSync = "https://identity.thunderbird.net/apps/sync"

    /// The scoped key for `identifier`.
    ///
    /// - Generic scopes: `HKDF-SHA256(salt: uid, ikm: kB || keyRotationSecret,
    ///   info: "identity.mozilla.com/picl/v1/scoped_key\n" + identifier, 48)`;
    ///   the first 16 bytes are the fingerprint, the last 32 the key; the
    ///   `kid` is `round(keyRotationTimestamp / 1000) + "-" + b64url(fingerprint)`.
    /// - Sync: `HKDF-SHA256(salt: none, ikm: kB, info:
    ///   "identity.mozilla.com/picl/v1/oldsync", 64)`; the `kid` is
    ///   `keyRotationTimestamp + "-" + b64url(SHA-256(kB)[0..<16])`, which is
    ///   Firefox's `X-KeyID` for the Sync tokenserver.
    ///
    /// - Parameters:
    ///   - kB: 32 bytes.
    ///   - uid: the account's 16-byte uid.
    ///   - keyRotationSecret: 32 bytes (FxA sends zeros).
    ///   - keyRotationTimestamp: milliseconds: when kB last changed.
    public static func derive(
        kB: Data, uid: Data, identifier: String, keyRotationSecret: Data, keyRotationTimestamp: Int64
    ) -> ScopedKey {
        if identifier == oldsync || identifier == thunderbirdSync {
            let key = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: kB), info: Data("identity.mozilla.com/picl/v1/oldsync".utf8),
                outputByteCount: 64)
            let clientState = Data(SHA256.hash(data: kB)).prefix(16)
            return ScopedKey(
                scope: identifier, key: key.withUnsafeBytes { Data($0) },
                kid: "\(keyRotationTimestamp)-\(clientState.base64URLEncodedString)")
        }
        let okm = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: kB + keyRotationSecret), salt: uid,
            info: Data("identity.mozilla.com/picl/v1/scoped_key\n\(identifier)".utf8), outputByteCount: 48
        ).withUnsafeBytes { Data($0) }
        // JavaScript's Math.round: halves round up.
        let seconds = (keyRotationTimestamp + 500) / 1000
        return ScopedKey(scope: identifier, key: okm.suffix(32), kid: "\(seconds)-\(okm.prefix(16).base64URLEncodedString)")
    }
}
