import Crypto
import FxACore
import Foundation

/// What FxA's clients do with an account recovery key (fxa-auth-client's
/// `recoveryKey.ts`), for the tests to play the browser: the fingerprint
/// and encryption key by HKDF-SHA256 salted with the uid, and kB sealed in
/// a compact JWE (`dir`, A256GCM, the protected header as AAD).
struct RecoveryKeyClient {
    let raw: Data

    /// A new key as FxA makes one: 20 random bytes whose first 5 bits are
    /// `01010`, so its Crockford form starts with `A`.
    static func random() -> RecoveryKeyClient {
        var bytes = SecureRandom.bytes(20)
        bytes[bytes.startIndex] = 0x50 | (0x07 & bytes[bytes.startIndex])
        return RecoveryKeyClient(raw: bytes)
    }

    func id(uid: Data) -> Data {
        derive(uid: uid, info: "fxa recovery fingerprint", count: 16)
    }

    func encryptionKey(uid: Data) -> SymmetricKey {
        SymmetricKey(data: derive(uid: uid, info: "fxa recovery encrypt key", count: 32))
    }

    /// `recoveryData`: `{"kB": …}` (and whatever else `keys` holds) sealed.
    func seal(_ keys: String, uid: Data, iv: Data = SecureRandom.bytes(12)) throws -> String {
        let header = Data(#"{"enc":"A256GCM","alg":"dir","kid":"\#(id(uid: uid).hexString)"}"#.utf8).base64URLEncodedString
        let box = try AES.GCM.seal(
            Data(keys.utf8), using: encryptionKey(uid: uid), nonce: AES.GCM.Nonce(data: iv), authenticating: Data(header.utf8))
        return [header, "", iv.base64URLEncodedString, box.ciphertext.base64URLEncodedString, box.tag.base64URLEncodedString]
            .joined(separator: ".")
    }

    /// The JSON sealed in `recoveryData`, as a client opens it.
    func open(_ recoveryData: String, uid: Data) throws -> [String: String] {
        let parts = recoveryData.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, let iv = Data(base64URLEncoded: parts[2]), let ciphertext = Data(base64URLEncoded: parts[3]),
              let tag = Data(base64URLEncoded: parts[4])
        else { throw CocoaError(.coderReadCorrupt) }
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
        let plain = try AES.GCM.open(box, using: encryptionKey(uid: uid), authenticating: Data(parts[0].utf8))
        return try JSONDecoder().decode([String: String].self, from: plain)
    }

    private func derive(uid: Data, info: String, count: Int) -> Data {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: raw), salt: uid, info: Data(info.utf8), outputByteCount: count
        ).withUnsafeBytes { Data($0) }
    }
}
