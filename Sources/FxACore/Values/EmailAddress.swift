import Foundation

/// An email address as FxA accepts it: at most 255 characters, a local
/// part of 1–64 characters from RFC 5322's atom set, and a domain of one or
/// more labels. Validated on creation, so code past the request decoder
/// never sees an invalid one.
///
/// FxA keeps the address as the user typed it (the v1 password salt depends
/// on it) and matches accounts case-insensitively; ``normalized`` is the key.
///
/// Unicode: the key is also in Normalization Form KC, so `é` typed as one
/// code point or as `e` and a combining accent is one address, and so is a
/// full-width `ｅｘａｍｐｌｅ.com` and `example.com` (which mail systems
/// deliver to one mailbox): one account. FxA only lowercases; two accounts
/// that look identical are a phishing and support trap. Look-alikes from
/// other scripts (Cyrillic `а` for Latin `a`) stay distinct addresses, as
/// they are distinct mailboxes. Characters that are invisible or reorder text
/// (bidirectional controls, zero-width and other format characters,
/// controls, separators, private-use and unassigned code points) are
/// refused anywhere in the address: no one types them into an address on
/// purpose, and they make two different addresses look the same.
public struct EmailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// As typed.
    public let value: String

    /// The address, or `nil` when it is not one FxA would accept (see above).
    public init?(_ value: String) {
        guard value.utf8.count <= 255, !value.unicodeScalars.contains(where: Self.isInvisibleOrControl),
              let at = value.lastIndex(of: "@")
        else { return nil }
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

    /// The lookup key: lowercased, as FxA's `normalizeEmail` does, and in
    /// Unicode Normalization Form KC.
    public var normalized: String { Self.normalize(value) }

    /// The lookup key of any address text (stored rows, secondary
    /// addresses, the operator's sign-up allow-list), the same way
    /// ``normalized`` makes it. Normalized before and after lowercasing, so
    /// that a character whose lowercase decomposes (`İ`) still ends in NFKC
    /// and applying it twice changes nothing.
    public static func normalize(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCompatibilityMapping
    }

    private static func isInvisibleOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return true
        default:
            return scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.isBidiControl
        }
    }

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
