import Crypto
import Foundation

/// HKDF-SHA256 with an empty salt and FxA's namespaced info strings
/// (`identity.mozilla.com/picl/v1/<name>`), the one derivation the onepw
/// protocol builds everything from: authPW, unwrapBKey, token ids, Hawk
/// keys, key-bundle keys, verifyHash.
public enum OnepwKDF {
    /// The prefix of every info string.
    public static let namespace = "identity.mozilla.com/picl/v1/"

    /// Derives `length` bytes from `inputKeyMaterial` for the context `name`
    /// (for example `"authPW"` or `"sessionToken"`).
    public static func derive(_ inputKeyMaterial: Data, name: String, length: Int) -> Data {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial),
            salt: Data(),
            info: Data((namespace + name).utf8),
            outputByteCount: length)
        return key.withUnsafeBytes { Data($0) }
    }
}

extension Data {
    /// Byte-wise XOR of two equal-length values (wrapping and unwrapping keys).
    ///
    /// - Precondition: both have the same length; every caller XORs fixed
    ///   32- or 64-byte protocol values.
    public func xor(_ other: Data) -> Data {
        precondition(count == other.count, "xor of values of different lengths")
        return Data(zip(self, other).map { $0 ^ $1 })
    }

    /// Compares in time that depends only on the length, never on where the
    /// first difference is, so a MAC or hash check leaks nothing to a timer.
    public func constantTimeEquals(_ other: Data) -> Bool {
        guard count == other.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(self, other) { difference |= a ^ b }
        return difference == 0
    }
}
