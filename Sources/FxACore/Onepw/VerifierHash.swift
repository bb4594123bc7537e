import Crypto
import CryptoExtras
import Foundation

/// The server half of onepw: what is stored instead of a password.
///
/// `authPW` is stretched again with scrypt (N=65536, r=8, p=1, as FxA's
/// auth server does) under a per-account random `authSalt`. From the result
/// come `verifyHash`, which is stored and compared on login, and
/// `wrapWrapKey`, which wraps the client's `wrapKb` at rest. Neither can be
/// turned back into authPW, and authPW alone is useless without the
/// client's password for recovering kB.
public struct VerifierHash: Sendable {
    /// The scrypt output, kept only in memory.
    private let stretched: Data

    /// scrypt's cost (N) in FxA's auth server, and in this one.
    public static let standardCost = 65536

    /// Runs scrypt. About 64 MiB of memory and tens of milliseconds of CPU:
    /// call it off the event loop (see `PasswordHasher` in FxAServer).
    ///
    /// - Parameter cost: scrypt's N. Anything but ``standardCost`` makes
    ///   verifiers no server with the standard cost accepts; only the
    ///   server's test suite lowers it (`Dependencies`), because in a debug
    ///   build, where BoringSSL's C is not optimised, one standard stretch
    ///   takes seconds and the suite spent three quarters of its CPU there.
    public init(authPW: Data, authSalt: Data, cost: Int = VerifierHash.standardCost) throws {
        let key = try KDF.Scrypt.deriveKey(
            from: authPW, salt: authSalt, outputByteCount: 32, rounds: cost, blockSize: 8, parallelism: 1)
        stretched = key.withUnsafeBytes { Data($0) }
    }

    /// Stored per account and stretch version; compared in constant time.
    public var verifyHash: Data { OnepwKDF.derive(stretched, name: "verifyHash", length: 32) }

    /// XOR key between the client's `wrapKb` and the stored `wrapWrapKb`.
    public var wrapWrapKey: Data { OnepwKDF.derive(stretched, name: "wrapwrapKey", length: 32) }

    /// Whether `storedVerifyHash` was made from the same authPW.
    public func matches(_ storedVerifyHash: Data) -> Bool {
        verifyHash.constantTimeEquals(storedVerifyHash)
    }
}
