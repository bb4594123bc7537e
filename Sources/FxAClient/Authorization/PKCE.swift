import Crypto
import FxACore
import Foundation

/// A PKCE pair (RFC 7636) with the S256 method, the only one FxA accepts.
/// The verifier stays on the RP's side until the code exchange; only its
/// hash travels through the browser.
public struct PKCEPair: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 43 characters of base64url from 32 random bytes.
    public let verifier: String
    /// base64url(SHA-256(verifier)).
    public var challenge: String { Self.challenge(for: verifier) }
    /// The only method FxA (and this kit) uses.
    public static let method = "S256"

    /// A fresh random pair.
    public init() {
        verifier = SecureRandom.bytes(32).base64URLEncodedString
    }

    /// A pair for a known verifier (tests, or one restored from storage).
    public init(verifier: String) {
        self.verifier = verifier
    }

    /// The verifier is a secret until the exchange: never printed.
    public var description: String { "PKCE S256 pair" }

    /// base64url(SHA-256(verifier)), the S256 challenge.
    public static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString
    }
}
