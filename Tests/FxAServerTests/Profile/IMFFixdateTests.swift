import Foundation
import Testing
@testable import FxAServer

@Suite("IMF-fixdate")
struct IMFFixdateTests {
    /// Against Foundation's formatter over dates from 1901 to 2099, leap days and year ends included.
    @Test func matchesFoundationsHTTPDateFormat() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var samples: [TimeInterval] = [0, -1, 784_111_777, 951_782_400, 1_709_164_799, 4_102_444_799, -2_208_988_800]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { samples.append(TimeInterval(Int64.random(in: -2_200_000_000...4_000_000_000, using: &generator))) }
        for seconds in samples {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(IMFFixdate.string(from: date) == formatter.string(from: date), "\(seconds)")
        }
        #expect(IMFFixdate.string(from: Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
