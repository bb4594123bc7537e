import Crypto
import Foundation

/// Why a `keys_jwe` could not be made or opened.
public enum KeysJWEError: Error, Sendable, Equatable {
    /// Not five segments, undecodable parts, or an IV that is not 12 bytes
    /// or a tag that is not 16.
    case malformed
    /// A header other than `ECDH-ES` + `A256GCM` with an `epk` and no
    /// `apu`/`apv`/`crit`/`zip`, or a non-empty encrypted key.
    case unsupportedHeader
    /// The ciphertext did not authenticate under this private key.
    case decryptionFailed
}

/// The `keys_jwe` FxA returns with a relying party's tokens: a compact JWE
/// (RFC 7516) with `alg: ECDH-ES` (direct key agreement with the RP's
/// ephemeral `keys_jwk`) and `enc: A256GCM`, whose plaintext is the JSON
/// map from scope to ``ScopedKey``. The content key is the Concat KDF of
/// RFC 7518 §4.6 with empty `apu`/`apv`, as fxa-crypto-relier and Firefox use it.
public enum KeysJWE {
    struct Header: Codable {
        var alg: String
        var enc: String
        var epk: P256PublicJWK
        var kid: String?
        var apu: String?
        var apv: String?
        /// Present only to be refused: nothing here understands extensions
        /// or compression, so a JWE that needs them is not opened.
        var crit: JSONValue?
        var zip: JSONValue?
    }

    /// Encrypts `plaintext` to `recipient` (what FxA's pages do with the
    /// scoped keys they derived).
    public static func encrypt(_ plaintext: Data, to recipient: P256PublicJWK) throws -> String {
        guard let publicKey = recipient.publicKey else { throw KeysJWEError.unsupportedHeader }
        let ephemeral = P256.KeyAgreement.PrivateKey()
        let header = Header(alg: "ECDH-ES", enc: "A256GCM", epk: P256PublicJWK(ephemeral.publicKey), kid: recipient.kid)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerPart = try encoder.encode(header).base64URLEncodedString
        let key = try contentKey(ephemeral.sharedSecretFromKeyAgreement(with: publicKey))
        let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: Data(headerPart.utf8))
        return [headerPart, "", Data(sealed.nonce).base64URLEncodedString, sealed.ciphertext.base64URLEncodedString,
                sealed.tag.base64URLEncodedString].joined(separator: ".")
    }

    /// Decrypts a `keys_jwe` with the RP's ephemeral private key.
    public static func decrypt(_ jwe: String, with privateKey: P256.KeyAgreement.PrivateKey) throws -> Data {
        let parts = jwe.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, jwe.count <= 16_384,
              let headerData = Data(base64URLEncoded: parts[0]),
              let iv = Data(base64URLEncoded: parts[2]), let ciphertext = Data(base64URLEncoded: parts[3]),
              let tag = Data(base64URLEncoded: parts[4])
        else { throw KeysJWEError.malformed }
        guard iv.count == 12, tag.count == 16 else { throw KeysJWEError.malformed }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData), header.alg == "ECDH-ES",
              header.enc == "A256GCM", header.apu == nil, header.apv == nil, header.crit == nil, header.zip == nil,
              parts[1].isEmpty, let epk = header.epk.publicKey
        else { throw KeysJWEError.unsupportedHeader }
        do {
            let key = try contentKey(privateKey.sharedSecretFromKeyAgreement(with: epk))
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            return try AES.GCM.open(box, using: key, authenticating: Data(parts[0].utf8))
        } catch {
            throw KeysJWEError.decryptionFailed
        }
    }

    /// RFC 7518 §4.6.2 Concat KDF for direct agreement with A256GCM:
    /// SHA-256(counter 1 || Z || len("A256GCM") || "A256GCM" || 0 || 0 || 256).
    static func contentKey(_ secret: SharedSecret) -> SymmetricKey {
        var input = Data([0, 0, 0, 1])
        secret.withUnsafeBytes { input.append(contentsOf: $0) }
        let algorithm = Data("A256GCM".utf8)
        input.append(contentsOf: bigEndian(UInt32(algorithm.count)))
        input.append(algorithm)
        input.append(contentsOf: bigEndian(0))  // PartyUInfo: empty
        input.append(contentsOf: bigEndian(0))  // PartyVInfo: empty
        input.append(contentsOf: bigEndian(256))  // SuppPubInfo: key length in bits
        return SymmetricKey(data: Data(SHA256.hash(data: input)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
