import Crypto
import Foundation

/// Message encryption for Web Push (RFC 8291, `aes128gcm` of RFC 8188):
/// what a push service carries to the browser, readable only by the
/// subscription's key. FxA encrypts every push to a device this way
/// (`lib/push.js` through the `web-push` library).
///
/// One record: a 16-byte salt, the record size, the sender's ephemeral
/// public key as the key id, then AES-128-GCM of the payload followed by
/// the last-record delimiter 0x02.
enum WebPushEncryption {
    /// The record size announced in the header (the payload is one record).
    static let recordSize: UInt32 = 4096
    /// The most plaintext one 4096-byte record holds (tag 16, delimiter 1).
    static let maximumPlaintext = Int(recordSize) - 17

    enum Failure: Error {
        case invalidKey
        case tooLarge
    }

    /// `plaintext` encrypted to the subscription (`p256dh`, 65 bytes
    /// uncompressed; `auth`, 16 bytes). The sender key and salt are fresh
    /// for each message; tests pass RFC 8291's to check the known answer.
    static func encrypt(
        _ plaintext: Data, to userAgentPublicKey: Data, authSecret: Data,
        senderKey: P256.KeyAgreement.PrivateKey = P256.KeyAgreement.PrivateKey(),
        salt: Data = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
    ) throws -> Data {
        guard plaintext.count <= maximumPlaintext else { throw Failure.tooLarge }
        guard authSecret.count == 16, salt.count == 16,
              let receiver = try? P256.KeyAgreement.PublicKey(x963Representation: userAgentPublicKey)
        else { throw Failure.invalidKey }
        let senderPublic = senderKey.publicKey.x963Representation
        let shared = try senderKey.sharedSecretFromKeyAgreement(with: receiver)
        let ecdhSecret = shared.withUnsafeBytes { Data($0) }

        // IKM = HKDF(auth, ecdh, "WebPush: info" 0x00 ua_public as_public, 32)
        var keyInfo = Data("WebPush: info".utf8)
        keyInfo.append(0)
        keyInfo.append(userAgentPublicKey)
        keyInfo.append(senderPublic)
        let ikm = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: ecdhSecret), salt: authSecret, info: keyInfo, outputByteCount: 32)
        let cek = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: aes128gcm\0".utf8), outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: ikm, salt: salt, info: Data("Content-Encoding: nonce\0".utf8), outputByteCount: 12)

        var padded = plaintext
        padded.append(2)
        let sealed = try AES.GCM.seal(
            padded, using: cek, nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }))

        var body = salt
        withUnsafeBytes(of: recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(senderPublic.count))
        body.append(senderPublic)
        body.append(sealed.ciphertext)
        body.append(sealed.tag)
        return body
    }
}
