import Foundation

/// The ASCII of `0`–`9`, `a`–`f`.
private let lowercaseHexDigits = Array("0123456789abcdef".utf8)

extension Data {
    /// Lowercase hexadecimal, as FxA sends ids, tokens and keys. Written
    /// into the string's own storage: every token and id a request carries
    /// or answers goes through here.
    public var hexString: String {
        String(unsafeUninitializedCapacity: count * 2) { buffer in
            var index = 0
            for byte in self {
                buffer[index] = lowercaseHexDigits[Int(byte >> 4)]
                buffer[index + 1] = lowercaseHexDigits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }

    /// Parses lowercase or uppercase hex; `nil` for an odd length or any
    /// non-hex character. Callers that need FxA's lowercase-only rule check
    /// that separately (see `HEX_STRING` in FxA's validators).
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Base64url without padding (RFC 7515 §2), as JOSE values are written.
    ///
    /// Rewrites the bytes of the standard encoding directly: every token,
    /// ID token and signature goes through here, and three
    /// `replacingOccurrences` calls (bridged through NSString on Linux)
    /// cost 6 % of the server's CPU on the code flow (perf, issue 22).
    public var base64URLEncodedString: String { base64URL(padded: false) }

    /// base64url with its `=` padding kept, as Mozilla's tokenlib writes
    /// Sync tokens and their Hawk keys.
    public var paddedBase64URLEncodedString: String { base64URL(padded: true) }

    private func base64URL(padded: Bool) -> String {
        var bytes = Array(base64EncodedData())
        while !padded, bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "+"): bytes[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses base64url with or without padding.
    public init?(base64URLEncoded string: some StringProtocol) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count + 3)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "-"): bytes.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): bytes.append(UInt8(ascii: "/"))
            default: bytes.append(byte)
            }
        }
        let remainder = bytes.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { bytes += Array(repeating: UInt8(ascii: "="), count: 4 - remainder) }
        self.init(base64Encoded: Data(bytes))
    }
}
