import Foundation

/// The reverse proxies whose `X-Forwarded-For` names the client
/// (`FXA_TRUSTED_PROXIES`). Without them, every request behind a proxy has
/// the proxy's address, so customs' per-IP limit counts all users as one.
///
/// Only a request that arrives from a trusted proxy has its header read,
/// and then from the right: each hop a trusted proxy added is skipped, and
/// the first address no trusted proxy stands for is the client. Addresses
/// further left were written by the client itself and are never believed.
public struct TrustedProxies: Sendable, Equatable {
    public let ranges: [IPAddressRange]

    public init(_ ranges: [IPAddressRange] = []) {
        self.ranges = ranges
    }

    /// Parses a comma-separated list of addresses and CIDR ranges; `nil`
    /// when an entry is neither.
    public init?(configuration text: String) {
        var ranges: [IPAddressRange] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let range = IPAddressRange(entry) else { return nil }
            ranges.append(range)
        }
        self.init(ranges)
    }

    /// The client's address for a request from `peer` carrying these
    /// `X-Forwarded-For` values (each may list several, comma-separated).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // A hop that is not an address (`unknown`, garbage) ends the
            // chain: nothing left of it can be believed either.
            guard IPAddressRange.bytes(of: hop) != nil else { return peer }
            if !isTrusted(hop) { return hop }
        }
        // Every hop is a trusted proxy: the first of them asked.
        return hops.first ?? peer
    }

    private func isTrusted(_ address: String) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// For the startup summary.
    public var summary: String {
        ranges.isEmpty ? "none" : ranges.map(\.description).joined(separator: ",")
    }
}
