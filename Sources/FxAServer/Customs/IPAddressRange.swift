#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One address or CIDR range, IPv4 or IPv6 (`10.0.0.0/8`, `::1`,
/// `fd00::/8`): how the operator names the reverse proxies whose
/// `X-Forwarded-For` the server believes.
public struct IPAddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's bytes (4 or 16).
    let network: [UInt8]
    /// How many leading bits must match.
    let prefixLength: Int
    public let description: String

    /// Parses `address` or `address/prefix`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let bytes = Self.bytes(of: parts[0]) else { return nil }
        let bits = bytes.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...bits).contains(parsed), parts[1].allSatisfy(\.isNumber) else { return nil }
            prefix = parsed
        }
        network = bytes
        prefixLength = prefix
        description = text
    }

    /// Whether `address` (a literal IP, either family) is in the range. An
    /// IPv4 address written as IPv6 (`::ffff:10.0.0.1`) counts as IPv4.
    public func contains(_ address: String) -> Bool {
        guard var bytes = Self.bytes(of: address) else { return false }
        if bytes.count == 16, network.count == 4, bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            bytes = Array(bytes.suffix(4))
        }
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(network, bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            guard mine & mask == theirs & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// The bytes of a literal IPv4 or IPv6 address (IPv6 may be bracketed).
    static func bytes(of text: String) -> [UInt8]? {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
