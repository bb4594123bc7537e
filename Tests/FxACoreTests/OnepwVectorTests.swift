import FxACore
import Foundation
import Testing

/// Known-answer tests against the vectors PyFxA (`fxa/tests/test_crypto.py`,
/// `test_utils.py`) and FxA's protocol notes publish. If any of these fail,
/// real FxA clients cannot talk to the server.
@Suite("onepw known answers")
struct OnepwVectorTests {
    let password = "pässwörd"

    @Test func v1StretchingMatchesPyFxA() throws {
        let stretched = try StretchedPassword.v1(password: password, email: "andré@example.org")
        #expect(stretched.stretched.hexString == "e4e8889bd8bd61ad6de6b95c059d56e7b50dacdaf62bd84644af7e2add84345d")
        #expect(stretched.authPW.hexString == "247b675ffb4c46310bc87e26d712153abe5e1c90ef00a4784594f97ef54f2375")
        #expect(stretched.unwrapBKey.hexString == "de6a2648b78284fcb9ffa81ba95803309cfba7af583c01a8a1a63e567234dd28")
    }

    @Test func v2StretchingMatchesPyFxA() throws {
        let salt = try #require(ClientSalt(rawValue: ClientSalt.prefix + "c2dc400c9cc1a93dd3cd3af1b05ebd60"))
        let stretched = try StretchedPassword.v2(password: password, clientSalt: salt)
        #expect(stretched.stretched.hexString == "b38b6a81c851c34343899bb1c64bd179cdddea840260849444b0b91b413a80de")
        #expect(stretched.authPW.hexString == "28c81379c31905d16f9aa9c63fcf0950094e413e16a9c9be41f52dbb09af518e")
        #expect(stretched.unwrapBKey.hexString == "e1c1f362437c8977e2ad8372cafcaf873df7dce30ae351bcd262af05e84caa92")
    }

    @Test func clientSaltsMustHaveThePrefixAnd32HexCharacters() {
        #expect(ClientSalt(rawValue: ClientSalt.prefix + "c2dc400c9cc1a93dd3cd3af1b05ebd60") != nil)
        #expect(ClientSalt(rawValue: "c2dc400c9cc1a93dd3cd3af1b05ebd60") == nil)
        #expect(ClientSalt(rawValue: ClientSalt.prefix + "c2dc400c9cc1a93dd3cd3af1b05ebd6") == nil)
        #expect(ClientSalt(rawValue: ClientSalt.prefix + "z2dc400c9cc1a93dd3cd3af1b05ebd60") == nil)
        #expect(ClientSalt.random().rawValue.count == ClientSalt.prefix.count + 32)
    }

    static let tokenIDs: [(FxATokenKind, String)] = [
        (.sessionToken, "c0a29dcf46174973da1378696e4c82ae10f723cf4f4d9f75e39f4ae3851595ab"),
        (.keyFetchToken, "70db599cec9c040b10c790418f93fe77711fdea352a59e9b02d2336136d39f68"),
        (.accountResetToken, "920fd5fc6cb03cabd2e6854c92d2976112e7b08728825acad1b7227874201f1f"),
        (.passwordForgotToken, "f108185451329f7c94aa569f9efa09c8aeaef71029d341c83839e6820b870b88"),
        (.passwordChangeToken, "9469deecfe3182a9573c7516650522e0d3032c467e909b64dd0d93f4d1253bde"),
    ]

    @Test(arguments: tokenIDs)
    func tokenIdsMatchPyFxA(kind: FxATokenKind, expectedID: String) {
        let token = Data(0xa0...0xbf)
        #expect(DerivedToken(token: token, kind: kind).id.hexString == expectedID)
    }

    @Test func bearerPrefixesNameTheirKind() {
        for kind in FxATokenKind.allCases {
            #expect(FxATokenKind(bearerPrefix: kind.bearerPrefix) == kind)
        }
        #expect(FxATokenKind(bearerPrefix: "fxx") == nil)
    }

    @Test func hawkMatchesThePublishedVector() {
        let token = DerivedToken(token: Data(0xa0...0xbf), kind: .sessionToken)
        #expect(token.hawkKey.hexString == "9d8f22998ee7f5798b887042466b72d53e56ab0c094388bf65831f702d2febc0")
        let hash = HawkSignature.payloadHash(contentType: "application/json", body: Data("{}".utf8))
        #expect(hash == "vNZvU+y3rJKqH4hu1yxrNuaijNPgIJ2Rgj/sHzsQhXY=")
        let mac = HawkSignature.mac(
            key: token.hawkKey, timestamp: 1_700_000_000, nonce: "AAAAAAA=", method: "POST",
            resource: "/v1/session/destroy", host: "127.0.0.1", port: 9000, hash: hash, ext: nil)
        #expect(mac == "6Ql25mrOVQUVTFC9ogA4WLLeA/M1kb7q8uYVwyDSvnk=")
    }

    @Test func thePayloadHashIgnoresContentTypeParameters() {
        let plain = HawkSignature.payloadHash(contentType: "application/json", body: Data("{}".utf8))
        #expect(HawkSignature.payloadHash(contentType: "Application/JSON; charset=utf-8", body: Data("{}".utf8)) == plain)
    }

    @Test func aKeyBundleOpensWithItsKeyAndDetectsTampering() throws {
        let kA = SecureRandom.bytes(32)
        let wrapKb = SecureRandom.bytes(32)
        let bundleKey = DerivedToken(token: SecureRandom.bytes(32), kind: .keyFetchToken).extraKey
        let bundle = KeyBundle.seal(kA: kA, wrapKb: wrapKb, bundleKey: bundleKey)
        #expect(bundle.count == 96)
        let opened = try #require(KeyBundle.open(bundle, bundleKey: bundleKey))
        #expect(opened.kA == kA)
        #expect(opened.wrapKb == wrapKb)

        var tampered = bundle
        tampered[0] ^= 0x01
        #expect(KeyBundle.open(tampered, bundleKey: bundleKey) == nil)
        #expect(KeyBundle.open(bundle, bundleKey: SecureRandom.bytes(32)) == nil)
    }

    /// The standard cost pinned: Python's `hashlib.scrypt` (N=65536, r=8,
    /// p=1) and RFC 5869 HKDF written over `hmac`, for authPW bytes 0…31 and
    /// salt bytes 32…63. The server suite runs at a lower cost for speed;
    /// this is what keeps the real one honest.
    @Test func theStandardStretchMatchesAnIndependentScrypt() throws {
        let verifier = try VerifierHash(authPW: Data(0..<32), authSalt: Data(32..<64))
        #expect(verifier.verifyHash.hexString == "093d3aa19e8a41dd5abb6c105e54db4769f217fe0791924ab7252ad73bcb0ac7")
        #expect(verifier.wrapWrapKey.hexString == "452b0dc90b00763cd0ffe8afccbb9e2aad907944bc884c3789bf1b862f67d98c")
        #expect(VerifierHash.standardCost == 65536)
    }

    @Test func theVerifierHashAcceptsOnlyTheSameAuthPWAndSalt() throws {
        let authPW = try StretchedPassword.v1(password: password, email: "andré@example.org").authPW
        let salt = SecureRandom.bytes(32)
        let stored = try VerifierHash(authPW: authPW, authSalt: salt).verifyHash
        #expect(try VerifierHash(authPW: authPW, authSalt: salt).matches(stored))
        #expect(try !VerifierHash(authPW: SecureRandom.bytes(32), authSalt: salt).matches(stored))
        #expect(try !VerifierHash(authPW: authPW, authSalt: SecureRandom.bytes(32)).matches(stored))
    }
}

@Suite("Hawk header parsing")
struct HawkAuthorizationTests {
    @Test func attributesParseInAnyOrder() throws {
        let header = #"Hawk mac="bWFj", nonce="AAAAAAA=", ts="1700000000", id="abc123", hash="aGFzaA==""#
        let parsed = try #require(HawkAuthorization(header: header))
        #expect(parsed.id == "abc123")
        #expect(parsed.timestamp == 1_700_000_000)
        #expect(parsed.nonce == "AAAAAAA=")
        #expect(parsed.hash == "aGFzaA==")
        #expect(parsed.mac == "bWFj")
        #expect(parsed.ext == nil)
        #expect(HawkAuthorization(header: parsed.headerValue) == parsed)
    }

    @Test(arguments: [
        #"Bearer fxs_abc"#,
        #"Hawk id="a", ts="1", nonce="n""#,
        #"Hawk id="a", ts="soon", nonce="n", mac="m""#,
        #"Hawk id="a", id="b", ts="1", nonce="n", mac="m""#,
        #"Hawk id="a", ts="1", nonce="n", mac="m", evil="x""#,
        #"Hawk id=a, ts="1", nonce="n", mac="m""#,
        #"Hawk id="a\"", ts="1", nonce="n", mac="m""#,
    ])
    func malformedHeadersAreRejected(_ header: String) {
        #expect(HawkAuthorization(header: header) == nil)
    }
}
