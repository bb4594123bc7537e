import FxACore
import Foundation
import NIOPosix

/// Runs the server's scrypt stretch on a thread pool, never on an event
/// loop: one hash is ~64 MiB and tens of milliseconds of CPU, and doing it
/// inline would stall every other request on that loop (heartbeats
/// included). The pool's size bounds how many run at once.
struct PasswordHasher: Sendable {
    let threadPool: NIOThreadPool
    /// scrypt's N: ``VerifierHash/standardCost`` but in the test suite.
    let cost: Int

    /// The verifier for `authPW` under `authSalt`.
    func verifier(authPW: Hex32, authSalt: Data) async throws -> VerifierHash {
        try await threadPool.runIfActive {
            Self.yieldToEventLoops()
            return try VerifierHash(authPW: authPW.bytes, authSalt: authSalt, cost: cost)
        }
    }

    /// Lowers the calling pool thread's priority (nice 10). With one hashing
    /// thread per core, a login burst would otherwise share the CPU equally
    /// with the event loops and heartbeats would wait behind scrypt; this
    /// way request handling runs first and scrypt takes the rest, which is
    /// nearly all of it (docs/benchmarks.md). On Linux the nice value is
    /// per thread, and `who = 0` names the calling thread only.
    private static func yieldToEventLoops() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        if getpriority(which, 0) < 10 {
            _ = setpriority(which, 0, 10)
        }
        #endif
    }
}
