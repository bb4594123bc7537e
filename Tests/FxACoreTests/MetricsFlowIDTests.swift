import Crypto
import Foundation
import FxACore
import Testing

@Suite("Metrics flow ids")
struct MetricsFlowIDTests {
    let key = SymmetricKey(data: Data(0..<32))
    /// Computed independently with Python's hmac, from FxA's recipe.
    let knownID = "00112233445566778899aabbccddeeffdd3101b144204e952c9332db685fdd87"
    let knownBegin: Int64 = 1_700_000_000_000
    func date(ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    @Test("a flow id signed as FxA signs it verifies")
    func knownAnswer() {
        let flow = MetricsFlowID.verified(id: knownID, beginTime: "\(knownBegin)", keys: [key], now: date(ms: knownBegin + 60_000))
        #expect(flow?.id == knownID)
        #expect(flow?.beginTime == knownBegin)
    }

    @Test("a fresh flow id round-trips and is 64 lowercase hex")
    func roundTrip() {
        let now = Date()
        let flow = MetricsFlowID.begin(at: now, key: key)
        #expect(flow.id.count == 64 && flow.id == flow.id.lowercased())
        let later = now.addingTimeInterval(1)
        #expect(MetricsFlowID.verified(id: flow.id, beginTime: "\(flow.beginTime)", keys: [key], now: later) == flow)
        #expect(MetricsFlowID.begin(at: now, key: key).id != flow.id, "each flow has its own salt")
    }

    @Test("forged, stale, future and malformed flow ids are refused")
    func refused() {
        let now = date(ms: knownBegin + 1000)
        func check(_ id: String, _ begin: String, keys: [SymmetricKey]? = nil, at: Date? = nil) -> Bool {
            MetricsFlowID.verified(id: id, beginTime: begin, keys: keys ?? [key], now: at ?? now) != nil
        }
        #expect(check(knownID, "\(knownBegin)"))
        #expect(!check(knownID, "\(knownBegin + 1)"), "begin time is signed")
        #expect(!check(knownID, "\(knownBegin)", keys: [SymmetricKey(size: .bits256)]), "other key")
        #expect(check(knownID, "\(knownBegin)", keys: [SymmetricKey(size: .bits256), key]), "previous key still accepted")
        #expect(!check(String(knownID.dropLast()) + "0", "\(knownBegin)"), "tampered signature")
        #expect(!check(knownID.uppercased(), "\(knownBegin)"))
        #expect(!check(knownID, "\(knownBegin)", at: date(ms: knownBegin + 2 * 3600 * 1000 + 1)), "older than 2 hours")
        #expect(!check(knownID, "\(knownBegin)", at: date(ms: knownBegin - 1)), "begins in the future")
        #expect(!check(knownID, "-\(knownBegin)"))
        #expect(!check(knownID, "1e12"))
        #expect(!check("", ""))
    }
}
