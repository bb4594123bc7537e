import Foundation

/// A device's id: 16 random bytes, 32 hex characters, as FxA's auth
/// server makes them (a uuid4 without dashes). Firefox stores it and names
/// itself by it in every later device call.
public struct DeviceID: FixedLengthHex {
    public static let byteCount = 16
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}
