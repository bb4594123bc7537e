import Crypto
import FxACore
@testable import FxAServer
import Foundation
import Testing

/// Web Push message encryption against RFC 8291's own example (§5,
/// Appendix A), and a VAPID header a push service can check.
@Suite("Web Push encryption and VAPID")
struct WebPushEncryptionTests {
    static func b64(_ text: String) -> Data { Data(base64URLEncoded: text)! }

    @Test func rfc8291sExampleEncryptsToItsPublishedMessage() throws {
        let body = try WebPushEncryption.encrypt(
            Data("When I grow up, I want to be a watermelon".utf8),
            to: Self.b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            authSecret: Self.b64("BTBZMqHH6r4Tts7J_aSIgg"),
            senderKey: try P256.KeyAgreement.PrivateKey(rawRepresentation: Self.b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")),
            salt: Self.b64("DGv6ra1nlYgDCS1FRnbzlw"))
        #expect(body.base64URLEncodedString == "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")
    }

    @Test func badKeysAndOversizedPayloadsAreRefused() {
        let auth = Data(count: 16)
        #expect(throws: WebPushEncryption.Failure.self) { try WebPushEncryption.encrypt(Data("x".utf8), to: Data(count: 65), authSecret: auth) }
        let key = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
        #expect(throws: WebPushEncryption.Failure.self) { try WebPushEncryption.encrypt(Data("x".utf8), to: key, authSecret: Data(count: 8)) }
        #expect(throws: WebPushEncryption.Failure.self) {
            try WebPushEncryption.encrypt(Data(count: WebPushEncryption.maximumPlaintext + 1), to: key, authSecret: auth)
        }
    }

    @Test func theVAPIDHeaderIsAnES256JWTForThePushServicesOrigin() throws {
        let vapid = VAPIDKey(subject: "https://accounts.example.test")
        let header = try vapid.authorization(
            for: URL(string: "https://updates.push.services.mozilla.com:443/wpush/v2/abc")!, now: Date(timeIntervalSince1970: 1_800_000_000))
        let parts = header.split(separator: " ")
        #expect(parts.first == "vapid")
        let token = try #require(parts.first { $0.hasPrefix("t=") }).dropFirst(2).dropLast()
        let key = try #require(parts.first { $0.hasPrefix("k=") }).dropFirst(2)
        let pieces = token.split(separator: ".")
        #expect(pieces.count == 3)
        let claims = try #require(try JSONSerialization.jsonObject(with: Self.b64(String(pieces[1]))) as? [String: Any])
        #expect(claims["aud"] as? String == "https://updates.push.services.mozilla.com:443")
        #expect(claims["sub"] as? String == "https://accounts.example.test")
        #expect(claims["exp"] as? Int == 1_800_000_000 + 12 * 3600)
        let publicKey = try P256.Signing.PublicKey(x963Representation: Self.b64(String(key)))
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: Self.b64(String(pieces[2])))
        #expect(publicKey.isValidSignature(signature, for: Data("\(pieces[0]).\(pieces[1])".utf8)))
    }

    @Test func pushEndpointsAreMozillasOrConfiguredOrigins() {
        let policy = PushEndpointPolicy(extraOrigins: ["http://127.0.0.1:8082"])
        #expect(policy.allows("https://updates.push.services.mozilla.com/wpush/v2/abc"))
        #expect(policy.allows("http://127.0.0.1:8082/push/1"))
        #expect(!policy.allows("http://updates.push.services.mozilla.com/x"), "https only for Mozilla's")
        #expect(!policy.allows("https://services.mozilla.com.attacker.example/x"))
        #expect(!policy.allows("https://attacker.example/x"))
        #expect(!policy.allows("http://127.0.0.1:8083/push"))
        #expect(!policy.allows("https://user:pw@updates.push.services.mozilla.com/x"))
        #expect(PushEndpointPolicy.origins(configuration: "https://push.example.org, http://127.0.0.1:8082")
            == ["https://push.example.org", "http://127.0.0.1:8082"])
        #expect(PushEndpointPolicy.origins(configuration: "https://push.example.org/path") == nil)
        #expect(PushEndpointPolicy.origins(configuration: "ftp://push.example.org") == nil)
    }
}
