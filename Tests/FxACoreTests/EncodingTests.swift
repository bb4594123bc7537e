import FxACore
import Foundation
import Testing

@Suite("Hex and base64url")
struct EncodingTests {
    @Test func hexRoundTripsAndIsLowercase() throws {
        let bytes = Data([0x00, 0x0f, 0xa0, 0xff])
        #expect(bytes.hexString == "000fa0ff")
        #expect(Data(hex: "000FA0ff") == bytes)
    }

    @Test func malformedHexIsRejected() {
        #expect(Data(hex: "abc") == nil)
        #expect(Data(hex: "zz") == nil)
        #expect(Data(hex: "") == Data())
    }

    @Test func base64URLHasNoPaddingAndRoundTrips() throws {
        let bytes = Data([0xfb, 0xff, 0xfe])
        #expect(bytes.base64URLEncodedString == "-__-")
        #expect(Data([0x01]).base64URLEncodedString == "AQ")
        #expect(Data(base64URLEncoded: "AQ") == Data([0x01]))
        #expect(Data(base64URLEncoded: "-__-") == bytes)
        #expect(Data(base64URLEncoded: "A") == nil)
    }

    /// Every length and every byte value: the URL alphabet only, no
    /// padding, and the same bytes back, padded or not.
    @Test func base64URLRoundTripsEveryLength() throws {
        for length in 0..<70 {
            let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) })
            let encoded = bytes.base64URLEncodedString
            #expect(encoded.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(encoded.count == (length * 4 + 2) / 3)
            #expect(Data(base64URLEncoded: encoded) == bytes)
            let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
            #expect(Data(base64URLEncoded: padded) == bytes)
        }
    }

    @Test func randomBytesHaveTheRequestedLengthAndDiffer() {
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
    }

    @Test func aManualClockMovesOnlyWhenTold() {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 100))
        #expect(clock.now() == Date(timeIntervalSince1970: 100))
        clock.advance(by: 60)
        #expect(clock.now() == Date(timeIntervalSince1970: 160))
    }
}
