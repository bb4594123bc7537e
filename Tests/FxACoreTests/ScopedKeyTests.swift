import Crypto
import FxACore
import Foundation
import Testing

/// Scoped keys and `keys_jwe` against the vectors fxa-crypto-relier
/// publishes (`test/deriver/ScopedKeys.js`, `test/relier/KeyUtils.js`),
/// re-computed independently with Python's `cryptography` before use.
@Suite("Scoped keys and keys_jwe")
struct ScopedKeyTests {
    static let uid = Data(hex: "aeaa1725c7a24ff983c6295725d5fc9b")!

    @Test func aGenericScopeMatchesTheFirstPublishedVector() {
        let key = ScopedKeyDerivation.derive(
            kB: Data(hex: "bc3851e9e610f631df94d7883d5defd5e5f55ab520bd5a9ae33dae26575c6b1a")!, uid: Self.uid,
            identifier: "https://identity.mozilla.com/apps/notes", keyRotationSecret: Data(count: 32),
            keyRotationTimestamp: 1_494_446_722_583)
        #expect(key.k == "b9SaftekqPfXDOEeZx8714ktkcG9mBbNnKIyoUmhShE")
        #expect(key.kid == "1494446723-sXWpWP2sQkP-KsjIPGm1gg", "seconds rounded half up")
        #expect(key.kty == "oct" && key.scope == "https://identity.mozilla.com/apps/notes")
        #expect(!"\(key)".contains(key.k), "the key is not printed")
    }

    @Test func aRotationSecretEntersTheKey() {
        let key = ScopedKeyDerivation.derive(
            kB: Data(hex: "8b2e1303e21eee06a945683b8d495b9bf079ca30baa37eb8392d9ffa4767be45")!, uid: Self.uid,
            identifier: "app_key:https%3A//example.com",
            keyRotationSecret: Data(hex: "517d478cb4f994aa69930416648a416fdaa1762c5abf401a2acf11a0f185e98d")!,
            keyRotationTimestamp: 1_510_726_317_000)
        #expect(key.k == "Kkbk1_Q0oCcTmggeDH6880bQrxin2RLu5D00NcJazdQ")
        #expect(key.kid == "1510726317-Voc-Eb9IpoTINuo9ll7bjA")
    }

    @Test func syncGetsTheLegacyKeyAndAMillisecondKid() {
        let key = ScopedKeyDerivation.derive(
            kB: Data(hex: "eaf9570b7219a4187d3d6bf3cec2770c2e0719b7cc0dfbb38243d6f1881675e9")!, uid: Self.uid,
            identifier: ScopedKeyDerivation.oldsync, keyRotationSecret: Data(count: 32),
            keyRotationTimestamp: 1_510_726_317_123)
        #expect(key.k == "DW_ll5GwX6SJ5GPqJVAuMUP2t6kDqhUulc2cbt26xbTcaKGQl-9l29FHAQ7kUiJETma4s9fIpEHrt909zgFang")
        #expect(key.kid == "1510726317123-IqQv4onc7VcVE1kTQkyyOw")
        #expect(key.keyBytes?.count == 64)
    }

    @Test func thePublishedJWEDecryptsWithTheRPKey() throws {
        let privateKey = try P256.KeyAgreement.PrivateKey(
            rawRepresentation: Data(base64URLEncoded: "KXAjjEr4KT9UlYI4BE0BefVdoxP8vqO389U7lQlCigs")!)
        #expect(P256PublicJWK(privateKey.publicKey).x == "SiBn6uebjigmQqw4TpNzs3AUyCae1_sG2b9Fzhq3Fyo")
        let jwe = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImVwayI6eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6Ik40elBSYXpCODd2cGVCZ0h6RnZrdmRfNDhvd0ZZWXhFVlhSTXJPVTZMRG8iLCJ5IjoiNG5jVXhONnhfeFQxVDFrenlfU19WMmZZWjd1VUpUX0hWUk5aQkxKUnN4VSJ9fQ.._0sYf7HdWuRv2cM0.U5ZK5BYZWhLluS7q4y4ZFW1UwcW-s7mjuY_khe4OVjtvLE5jOQw-qGyT_06wY2zpqN6FhGMa16Qhn4UABz0LuDwAfrHOtfRlpqeV3nrKhas2gXt1yLvDFLide4hEPfBJk60t2CXjxprsA1BulinIER2EIJbA.rpf5rzO78Hj-9CWRTLx7TQ"
        let plaintext = try KeysJWE.decrypt(jwe, with: privateKey)
        #expect(String(decoding: plaintext, as: UTF8.self)
            == #"{"app_key":{"k":"rTcZ5olrrJWqVD6bVtLjHJT0P6d_9IdpEgWT4zVzMb0","kid":"1510726317-UvyHCg_RD3zKl_hQdlRsfw","kty":"oct"}}"#)
    }

    /// Made with jwcrypto 1.5 (PyPI), an implementation nobody here wrote:
    /// `JWE(payload, {"alg":"ECDH-ES","enc":"A256GCM"})` to the public half
    /// of this private key.
    @Test func aJWEFromJwcryptoOpens() throws {
        let privateKey = try P256.KeyAgreement.PrivateKey(
            rawRepresentation: Data(base64URLEncoded: "nrYopoDYs9eLk7v_DRx0JKiJkFMaajVEB4OTdsaPe3s")!)
        let jwe = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImVwayI6eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6IldBSWJ6U2JBbG5TdjIxcXBIVXV6R2lLcTJJVFlNcTFURzZDYmtZZHVsaDQiLCJ5IjoiTmdzSWR4MEFJWXZNOUJqRDRZMWhoT01ad2VWc3hvYlFJemtXeTB0a0g0TSJ9fQ..5cE4d9Oj4_-_MQm0.r4Xocafq6ol1VnWoK4PBEWe5rRmoYOFcylOFxK1BsMx2k3HV5-cQynrb0LqOww-ZfYc8HZlsf6ADhZK_8-Sb6-rz2h3l55W4tQzb6Awbo9IqiToSr-JFTlbqHlxtCROmLP6euO2gSUOylt5dEzQdISgw798YWKF-VpF9MGPKJB0NKCXzZvS5pcfX53kzA0qwH8e5JTtDKdlKi-v58FCYGk7kO9687etz5ebEXZsDOQog.nbOeXizz8en2pmp38ypp3g"
        let keys = try JSONDecoder().decode([String: ScopedKey].self, from: KeysJWE.decrypt(jwe, with: privateKey))
        #expect(keys[ScopedKeyDerivation.oldsync] == ScopedKey(
            scope: ScopedKeyDerivation.oldsync, key: Data("scoped-key".utf8), kid: "1700000000123-AAAAAAAAAAAAAAAAAAAAAA"))
    }

    @Test func whatIsEncryptedToAKeyOpensWithItAndNoOther() throws {
        let recipient = P256.KeyAgreement.PrivateKey()
        let jwk = P256PublicJWK(recipient.publicKey, kid: "rp-key-1")
        let jwe = try KeysJWE.encrypt(Data("secret keys".utf8), to: jwk)
        let parts = jwe.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 5 && parts[1].isEmpty, "direct agreement: no encrypted key")
        let header = try JSONSerialization.jsonObject(with: Data(base64URLEncoded: parts[0])!) as? [String: Any]
        #expect(header?["alg"] as? String == "ECDH-ES" && header?["enc"] as? String == "A256GCM" && header?["kid"] as? String == "rp-key-1")
        #expect(try KeysJWE.decrypt(jwe, with: recipient) == Data("secret keys".utf8))
        #expect(throws: KeysJWEError.decryptionFailed) { try KeysJWE.decrypt(jwe, with: P256.KeyAgreement.PrivateKey()) }
        var tampered = Array(parts)
        tampered[3] = Substring(Data(repeating: 1, count: 11).base64URLEncodedString)
        #expect(throws: KeysJWEError.decryptionFailed) { try KeysJWE.decrypt(tampered.joined(separator: "."), with: recipient) }
        #expect(throws: KeysJWEError.malformed) { try KeysJWE.decrypt("a.b.c", with: recipient) }
        var shortTag = Array(parts)
        shortTag[4] = Substring(Data(repeating: 1, count: 12).base64URLEncodedString)
        #expect(throws: KeysJWEError.malformed) { try KeysJWE.decrypt(shortTag.joined(separator: "."), with: recipient) }
        // Headers asking for what is not implemented are refused, not ignored.
        for extra in [#","zip":"DEF""#, #","crit":["exp"]"#] {
            var header = String(decoding: Data(base64URLEncoded: parts[0])!, as: UTF8.self)
            header.insert(contentsOf: extra, at: header.index(before: header.endIndex))
            var changed = Array(parts)
            changed[0] = Substring(Data(header.utf8).base64URLEncodedString)
            #expect(throws: KeysJWEError.unsupportedHeader) { try KeysJWE.decrypt(changed.joined(separator: "."), with: recipient) }
        }
    }

    @Test func keysJWKParametersAcceptBrowserExportsAndRefusePrivateKeys() throws {
        let key = P256.KeyAgreement.PrivateKey()
        let jwk = P256PublicJWK(key.publicKey)
        #expect(P256PublicJWK(keysJWKParameter: try jwk.keysJWKParameter) == jwk)
        var browser = try JSONSerialization.jsonObject(with: JSONEncoder().encode(jwk)) as! [String: Any]
        browser["ext"] = true
        browser["key_ops"] = [String]()
        let exported = try JSONSerialization.data(withJSONObject: browser).base64URLEncodedString
        #expect(P256PublicJWK(keysJWKParameter: exported)?.publicKey != nil)
        browser["d"] = key.rawRepresentation.base64URLEncodedString
        #expect(P256PublicJWK(keysJWKParameter: try JSONSerialization.data(withJSONObject: browser).base64URLEncodedString) == nil)
        var offCurve = jwk
        offCurve.y = Data(repeating: 7, count: 32).base64URLEncodedString
        #expect(offCurve.publicKey == nil)
    }
}
