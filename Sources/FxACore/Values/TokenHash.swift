import Crypto
import Foundation

/// The SHA-256 of a bearer secret (a token id, an OAuth token or code, an
/// emailed code, a client secret, a web session's cookie): the only form in
/// which the server stores one, so a copy of the database grants nothing.
///
/// A type of its own, so a hash cannot be passed where the secret is
/// expected or the other way round, and every hash is computed by
/// ``init(of:)``.
public struct TokenHash: FixedLengthHex {
    public static let byteCount = 32
    public let bytes: Data
    public init(uncheckedBytes: Data) { bytes = uncheckedBytes }

    /// The hash of `secret`. Inlinable, so SHA-256 is specialized for the
    /// caller's concrete bytes rather than walking a generic collection.
    @inlinable
    public init(of secret: some DataProtocol) {
        bytes = Data(SHA256.hash(data: secret))
    }

    /// The hash of a hex secret (`Hex32` token ids and values).
    @inlinable
    public init(of secret: some FixedLengthHex) {
        self.init(of: secret.bytes)
    }
}
