import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238) as authenticator apps compute
/// them and FxA checks them: HMAC-SHA-1, 6 digits, 30-second steps.
///
/// The parameters are fixed, not configurable: every authenticator app
/// assumes them when an `otpauth://` URI leaves them out, and FxA's clients
/// (PyFxA's tests use `pyotp.TOTP(secret)`) compute codes with them.
public struct TOTP: Sendable {
    /// The shared secret, as the user's app holds it.
    public let secret: [UInt8]
    /// Seconds per step.
    public static let period: TimeInterval = 30
    /// Digits per code.
    public static let digits = 6

    public init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The step a moment falls in: whole periods since the Unix epoch.
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code of one step (RFC 4226's HOTP of the step counter).
    public func code(step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let truncated = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = truncated % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: Self.digits - text.count) + text
    }

    /// The code an app shows at `date`.
    public func code(at date: Date) -> String {
        code(step: Self.step(at: date))
    }

    /// The step whose code `candidate` is, looking `window` steps either side
    /// of `date` (clock skew between the phone and the server), or `nil`.
    ///
    /// Steps at or before `usedThrough` are not accepted: a code works once,
    /// and so does any code older than the last one used, which a caller
    /// records by storing the returned step. All candidates are compared in
    /// constant time and none is skipped once one matches, so the time taken
    /// says nothing about which step matched.
    public func matchingStep(of candidate: String, at date: Date, window: Int64 = 1, usedThrough: Int64? = nil) -> Int64? {
        guard candidate.utf8.count == Self.digits, candidate.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        let now = Self.step(at: date)
        var matched: Int64?
        for step in (now - window)...(now + window) {
            let equal = Data(code(step: step).utf8).constantTimeEquals(Data(candidate.utf8))
            if equal, matched == nil, step > (usedThrough ?? Int64.min) {
                matched = step
            }
        }
        return matched
    }
}
