import Crypto
import Foundation

/// A metrics flow: the id FxA's `/metrics-flow` hands an RP's email form, and
/// the time the flow began. The RP sends both on to `/authorization` as
/// `flow_id` and `flow_begin_time`, so the sign-in that follows is counted
/// against the entrypoint that started it.
///
/// The id is `salt ‖ signature` in lowercase hex: 16 random bytes, then the
/// first 16 bytes of HMAC-SHA256(key, hex(salt) + "\n" + hex(beginTime ms)),
/// exactly as FxA's content server builds it, so a flow id can be checked
/// without storing it. Invalid or stale flow ids are dropped from metrics;
/// they never fail the user's request.
public struct MetricsFlowID: Sendable, Hashable {
    /// 64 lowercase hex characters.
    public let id: String
    /// Milliseconds since the Unix epoch.
    public let beginTime: Int64

    /// How long a flow id is accepted after it began (FxA: 2 hours).
    public static let lifetime: TimeInterval = 2 * 60 * 60

    /// Starts a new flow at `now`.
    public static func begin(at now: Date, key: SymmetricKey) -> MetricsFlowID {
        let salt = SecureRandom.bytes(16).hexString
        let beginTime = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        return MetricsFlowID(id: salt + signature(salt: salt, beginTime: beginTime, key: key).hexString, beginTime: beginTime)
    }

    /// A flow id and begin time received from a client, if the signature
    /// matches one of `keys` (current first, then those kept for rotation)
    /// and the flow began no more than ``lifetime`` ago.
    ///
    /// - Parameters:
    ///   - id: the `flow_id` as received.
    ///   - beginTime: the `flow_begin_time` as received (decimal milliseconds).
    public static func verified(id: String, beginTime: String, keys: [SymmetricKey], now: Date) -> MetricsFlowID? {
        guard id.utf8.count == 64, id.utf8.allSatisfy(isLowercaseHex),
              beginTime.utf8.count <= 16, beginTime.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let begin = Int64(beginTime), begin > 0
        else { return nil }
        let age = now.timeIntervalSince1970 * 1000 - Double(begin)
        guard age > 0, age <= lifetime * 1000 else { return nil }
        let salt = String(id.prefix(32))
        guard let presented = Data(hex: id.suffix(32)) else { return nil }
        for key in keys where signature(salt: salt, beginTime: begin, key: key).constantTimeEquals(presented) {
            return MetricsFlowID(id: id, beginTime: begin)
        }
        return nil
    }

    private static func signature(salt: String, beginTime: Int64, key: SymmetricKey) -> Data {
        let message = Data((salt + "\n" + String(beginTime, radix: 16)).utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).prefix(16)
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102)
    }
}
