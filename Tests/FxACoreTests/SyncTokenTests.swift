import Foundation
import FxACore
import Testing

@Suite("Sync tokens, key ids and timestamps")
struct SyncTokenTests {
    /// Made by Mozilla's tokenlib 2.0.0 (PyPI), `TokenManager(secret=…)
    /// .make_token(…)` and `.get_derived_secret(token)`.
    static let tokenlibSecret = "swift-fxa test secret"
    static let tokenlibToken = "eyJ1aWQiOiA0MiwgIm5vZGUiOiAiaHR0cDovLzEyNy4wLjAuMTo5MDAwIiwgImV4cGlyZXMiOiAyMDAwMDAwMDAwLCAi"
        + "ZnhhX3VpZCI6ICIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsICJmeGFfa2lkIjogIjAwMDE3MDAwMDAwMDAtcXFvIiwgImhh"
        + "c2hlZF9meGFfdWlkIjogIngiLCAic2FsdCI6ICJhMWIyYzMifSOdJSdTf0QAQl_ANfVGfqPVJTHUO2p86qq16Psl3YvT"
    static let tokenlibDerivedKey = "FA1VYAGd0NfjB_1m728uLnQLsweWkFwXFg7q6QerqO8="

    @Test func tokensFromMozillasTokenlibParseAndDeriveTheSameKey() throws {
        let signer = SyncTokenSigner(secret: Self.tokenlibSecret)
        let payload = try #require(signer.payload(ofTokenID: Self.tokenlibToken))
        #expect(payload == SyncTokenPayload(
            uid: 42, node: "http://127.0.0.1:9000", expires: 2_000_000_000, salt: "a1b2c3",
            fxaUID: "0123456789abcdef0123456789abcdef", fxaKeyID: "0001700000000-qqo", hashedFxAUID: "x"))
        #expect(signer.derivedKey(tokenID: Self.tokenlibToken, salt: payload.salt) == Self.tokenlibDerivedKey)
        #expect(SyncTokenSigner(secret: "another secret").payload(ofTokenID: Self.tokenlibToken) == nil)
    }

    @Test func tokenlibsDefaultFloatExpiryReadsToo() throws {
        // tokenlib's make_token without `expires` writes time.time() + timeout, a float.
        let token = "eyJ1aWQiOiA3LCAibm9kZSI6ICJodHRwOi8vbiIsICJleHBpcmVzIjogMTkwMDAwMDAwMC43NSwgInNhbHQiOiAiMDBmZjAwIn3WWy"
            + "_XI20giNeSjdc3_badf_ak_ZcRVxvQ43ToQFfwqQ=="
        let payload = try #require(SyncTokenSigner(secret: Self.tokenlibSecret).payload(ofTokenID: token))
        #expect(payload.uid == 7 && payload.expires == 1_900_000_000 && payload.salt == "00ff00")
    }

    @Test func issuedTokensRoundTripAndAnyChangedByteIsRefused() throws {
        let signer = SyncTokenSigner(secret: "s3cret")
        let payload = SyncTokenPayload(uid: 7, node: "https://sync.example.org", expires: 1_900_000_000, salt: "0a0b0c",
                                       fxaUID: "ab", tokenserverOrigin: "swift-fxa")
        let (id, key) = try signer.issue(payload)
        #expect(signer.payload(ofTokenID: id) == payload)
        #expect(key == signer.derivedKey(tokenID: id, salt: "0a0b0c"))
        #expect(key.count == 44 && key.hasSuffix("="), "32 bytes, base64url with padding, as tokenlib gives it")
        #expect(!id.contains("+") && !id.contains("/"))

        var bytes = try #require(Data(base64URLEncoded: id))
        for index in [0, bytes.count / 2, bytes.count - 1] {
            bytes[index] ^= 0x01
            #expect(signer.payload(ofTokenID: bytes.base64URLEncodedString) == nil, "byte \(index)")
            bytes[index] ^= 0x01
        }
        for garbage in ["", "abc", "!!!!", String(repeating: "A", count: 44)] {
            #expect(signer.payload(ofTokenID: garbage) == nil)
        }
    }

    @Test func theHashedFxAUIDMatchesSyncstorageRsTestVector() {
        #expect(SyncTokenSigner.hashedFxAUID("test123", secret: "") == "4d00ecae64b98dd7dc7dea68d0dd615d")
        let signer = SyncTokenSigner(secret: "")
        #expect(signer.hashedFxAUID("test123") == "4d00ecae64b98dd7dc7dea68d0dd615d")
        #expect(signer.hashedDeviceID(hashedFxAUID: "4d00ecae64b98dd7dc7dea68d0dd615d") == "3a41cccbdd666ebc4199f1f9d1249d44")
    }

    @Test func keyIDsParseAtTheFirstDashIntoTimeAndHexClientState() throws {
        let kid = try #require(SyncKeyID(header: "0000000001234-qqo"))
        #expect(kid.keysChangedAt == 1234 && kid.clientState == "aaaa")
        #expect(kid.header == "0000000001234-qqo")
        let real = SyncKeyID(keysChangedAt: 1_700_000_000_123, clientState: "00112233445566778899aabbccddeeff")
        #expect(SyncKeyID(header: real.header) == real)
        let tooLong = Data(repeating: 0xaa, count: 33).base64URLEncodedString
        for bad in ["", "1234", "-qqo", "12a4-qqo", "1234-q", "1234-qqo=", "1234-q!o", "-1-qqo", "1234-", "1234-+/8",
                    "1234-" + tooLong, "99999999999999999999-qqo"] {
            #expect(SyncKeyID(header: bad) == nil, "\(bad)")
        }
    }

    @Test func timestampsAreExactTwoDecimalSecondsTruncatedToTenMilliseconds() throws {
        #expect(SyncTimestamp(seconds: "1388635807.41")?.milliseconds == 1_388_635_807_410)
        #expect(SyncTimestamp(seconds: "1388635807.41")?.text == "1388635807.41")
        #expect(SyncTimestamp(seconds: "1388635807.419")?.milliseconds == 1_388_635_807_410)
        #expect(SyncTimestamp(seconds: "12")?.text == "12.00")
        #expect(SyncTimestamp(seconds: "12.")?.text == "12.00")
        #expect(SyncTimestamp(seconds: ".5")?.text == "0.50")
        #expect(SyncTimestamp(seconds: "0")?.text == "0.00")
        #expect(SyncTimestamp(milliseconds: 1_005).text == "1.00")
        #expect(SyncTimestamp(milliseconds: 1_070).text == "1.07")
        for bad in ["", ".", "-1", "1e9", "nan", "inf", " 1", "1.2.3", "0x10", "1_000"] {
            #expect(SyncTimestamp(seconds: bad) == nil, "\(bad)")
        }
        let now = Date(timeIntervalSince1970: 1_700_000_000.123)
        #expect(SyncTimestamp(now).milliseconds == 1_700_000_000_120)
        #expect(SyncTimestamp(seconds: "1.1")! < SyncTimestamp(seconds: "1.11")!)
    }
}
