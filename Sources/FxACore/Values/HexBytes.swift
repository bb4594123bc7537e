import Foundation

/// A fixed-length binary value that travels as lowercase hex (authPW,
/// wrapKb, uid, token ids, codes). The length is part of the type, so a
/// 31-byte authPW cannot be decoded, let alone stored.
public protocol FixedLengthHex: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Number of bytes.
    static var byteCount: Int { get }
    /// The bytes, always `byteCount` long.
    var bytes: Data { get }
    init(uncheckedBytes: Data)
}

extension FixedLengthHex {
    /// Parses hex of exactly `2 * byteCount` characters. FxA's validators
    /// accept lowercase only; uppercase is accepted here too and normalised,
    /// since it denotes the same bytes.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == Self.byteCount * 2, let bytes = Data(hex: hex) else { return nil }
        self.init(uncheckedBytes: bytes)
    }

    /// Parses exactly what FxA's validators accept for a token or code:
    /// `2 * byteCount` lowercase hex characters. A credential is compared
    /// as sent, so an uppercase spelling of a valid one is refused rather
    /// than silently accepted.
    @inlinable
    public init?(lowercaseHex hex: some StringProtocol) {
        guard hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        self.init(hex: hex)
    }

    /// Wraps bytes of the right length; `nil` otherwise.
    public init?(bytes: Data) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(uncheckedBytes: bytes)
    }

    /// Fresh random bytes from the system CSPRNG.
    public static func random() -> Self { Self(uncheckedBytes: SecureRandom.bytes(byteCount)) }

    public var hex: String { bytes.hexString }
    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(hex: raw) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "expected \(Self.byteCount * 2) hex characters"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// 32 bytes: authPW, wrapKb, kA, token values and ids.
public struct Hex32: FixedLengthHex {
    public static let byteCount = 32
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}

/// An account's uid: 16 random bytes, 32 hex characters. The key of every
/// account everywhere (the email can change; the uid never does).
public struct AccountUID: FixedLengthHex {
    public static let byteCount = 16
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}
