import Crypto
import Foundation

/// The encrypted `{kA, wrapKb}` that `GET /account/keys` returns:
/// `ciphertext(64) || HMAC-SHA256(32)` under keys derived from the
/// keyFetchToken's bundle key, so only the holder of that token can read it
/// and any tampering is detected.
public enum KeyBundle {
    /// Encrypts `kA || wrapKb` for the holder of `bundleKey`.
    public static func seal(kA: Data, wrapKb: Data, bundleKey: Data) -> Data {
        precondition(kA.count == 32 && wrapKb.count == 32, "kA and wrapKb are 32 bytes")
        let keys = OnepwKDF.derive(bundleKey, name: "account/keys", length: 96)
        let ciphertext = (kA + wrapKb).xor(keys.suffix(64))
        let mac = HMAC<SHA256>.authenticationCode(for: ciphertext, using: SymmetricKey(data: keys.prefix(32)))
        return ciphertext + Data(mac)
    }

    /// Decrypts a bundle, or `nil` when the MAC does not verify.
    public static func open(_ bundle: Data, bundleKey: Data) -> (kA: Data, wrapKb: Data)? {
        guard bundle.count == 96 else { return nil }
        let keys = OnepwKDF.derive(bundleKey, name: "account/keys", length: 96)
        let ciphertext = bundle.prefix(64)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: ciphertext, using: SymmetricKey(data: keys.prefix(32))))
        guard mac.constantTimeEquals(bundle.suffix(32)) else { return nil }
        let plaintext = Data(ciphertext).xor(keys.suffix(64))
        return (plaintext.prefix(32), plaintext.suffix(32))
    }
}
