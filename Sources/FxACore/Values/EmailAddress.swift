import Foundation

/// An email address as FxA accepts it: at most 255 characters, a local
/// part of 1–64 characters from RFC 5322's atom set, and a domain of one or
/// more labels. Validated on creation, so code past the request decoder
/// never sees an invalid one.
///
/// FxA keeps the address as the user typed it (the v1 password salt depends
/// on it) and matches accounts case-insensitively; ``normalized`` is the key.
public struct EmailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// As typed.
    public let value: String

    public init?(_ value: String) {
        guard value.utf8.count <= 255, let at = value.lastIndex(of: "@") else { return nil }
        let local = value[..<at]
        let domain = value[value.index(after: at)...]
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        guard (1...64).contains(local.count), local.allSatisfy({ localAllowed.contains($0) || !$0.isASCII }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !domain.isEmpty, domain.count <= 253, labels.allSatisfy({ label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }) else { return nil }
        self.value = value
    }

    /// The lookup key: lowercased, as FxA's `normalizeEmail` does.
    public var normalized: String { value.lowercased() }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let email = EmailAddress(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid email"))
        }
        self = email
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
