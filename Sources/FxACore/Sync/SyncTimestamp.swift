import Foundation

/// A Sync 1.5 timestamp: milliseconds since 1970 in steps of 10 ms, written
/// as seconds with exactly two decimals (`1388635807.41`).
///
/// Clients compare these values for equality (`X-If-Unmodified-Since`,
/// `newer`), so they are parsed exactly from their decimal text rather than
/// through a `Double`, where `1388635807.41 * 1000` truncates to `…409`.
public struct SyncTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970, a multiple of 10.
    public let milliseconds: Int64

    /// The timestamp of what does not exist yet (`0.00`).
    public static let zero = SyncTimestamp(milliseconds: 0)

    /// Truncates `milliseconds` to the 10 ms the protocol resolves; a
    /// negative value becomes zero.
    public init(milliseconds: Int64) {
        let clamped = max(milliseconds, 0)
        self.milliseconds = clamped - clamped % 10
    }

    /// `date`, truncated to 10 ms.
    public init(_ date: Date) {
        self.init(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Parses what a client sends (`newer`, `older`, `X-If-Modified-Since`,
    /// `X-If-Unmodified-Since`): decimal seconds, digits with at most one
    /// point, never negative. Digits past the millisecond are ignored and the
    /// result is truncated to 10 ms. `nil` for anything else (`-1`, `1e9`,
    /// `nan`, an empty string). This deliberately differs from
    /// syncstorage-rs, which multiplies a `f64` and so reads `….41` as
    /// `….40`, and accepts exponents: clients only ever echo the two-decimal
    /// values servers send.
    public init?(seconds text: some StringProtocol) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, whole.count <= 12,
              whole.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard !(whole.isEmpty && fraction.isEmpty),
              fraction.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        let millis = String((fraction + "000").prefix(3))
        guard let seconds = Int64(whole.isEmpty ? "0" : String(whole)), let extra = Int64(millis) else { return nil }
        self.init(milliseconds: seconds * 1000 + extra)
    }

    /// Seconds with two decimals, as headers and JSON bodies carry it.
    public var text: String {
        let centiseconds = (milliseconds % 1000) / 10
        return "\(milliseconds / 1000).\(centiseconds < 10 ? "0" : "")\(centiseconds)"
    }

    public var description: String { text }

    public static func < (lhs: SyncTimestamp, rhs: SyncTimestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}
