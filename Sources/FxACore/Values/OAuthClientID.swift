import Foundation

/// An OAuth client's id: 8 random bytes, sent as 16 lowercase hex
/// characters, as FxA issues them.
public struct OAuthClientID: FixedLengthHex {
    public static let byteCount = 8
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}

/// An OAuth client secret: 32 random bytes, shown once as 64 hex characters
/// and stored only as its SHA-256.
public struct OAuthClientSecret: FixedLengthHex {
    public static let byteCount = 32
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}
