import FxACore
import Foundation
import Testing

@Suite("TOTP")
struct TOTPTests {
    /// RFC 6238 Appendix B, SHA-1 rows: the published 8-digit values, of
    /// which an authenticator app shows the last six.
    @Test(arguments: [
        (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ] as [(Int64, String)])
    func rfc6238Vectors(seconds: Int64, eightDigits: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.code(at: Date(timeIntervalSince1970: TimeInterval(seconds))) == String(eightDigits.suffix(6)))
    }

    @Test func aCodeMatchesWithinOneStepOfSkewAndNoFurther() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        #expect(totp.matchingStep(of: totp.code(step: step), at: now) == step)
        #expect(totp.matchingStep(of: totp.code(step: step - 1), at: now) == step - 1, "a phone 30 s behind")
        #expect(totp.matchingStep(of: totp.code(step: step + 1), at: now) == step + 1, "a phone 30 s ahead")
        #expect(totp.matchingStep(of: totp.code(step: step - 2), at: now) == nil)
        #expect(totp.matchingStep(of: totp.code(step: step + 2), at: now) == nil)
    }

    @Test func aCodeWorksOnceAndOlderCodesNotAfterIt() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        #expect(totp.matchingStep(of: totp.code(step: step), at: now, usedThrough: step) == nil, "the same code again")
        #expect(totp.matchingStep(of: totp.code(step: step - 1), at: now, usedThrough: step) == nil, "an older one")
        #expect(totp.matchingStep(of: totp.code(step: step + 1), at: now, usedThrough: step) == step + 1)
    }

    @Test(arguments: ["", "12345", "1234567", "12345a", " 12345", "１２３４５６"])
    func malformedCodesNeverMatch(_ candidate: String) {
        #expect(TOTP(secret: [1, 2, 3]).matchingStep(of: candidate, at: Date()) == nil)
    }
}

@Suite("Base32")
struct Base32Tests {
    /// RFC 4648 section 10, without padding.
    @Test(arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test func decodingForgivesCaseSpacesAndPadding() {
        #expect(Base32.decode("mzxw 6ytb oi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil, "1 is not in the alphabet")
        #expect(Base32.decode("MZ") == nil, "leftover bits must be zero")
    }

    @Test func randomBytesRoundTrip() {
        for length in 0..<41 {
            let bytes = Array(SecureRandom.bytes(length))
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
    }
}
