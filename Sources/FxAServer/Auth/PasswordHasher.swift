import FxACore
import Foundation
import NIOPosix

/// Runs the server's scrypt stretch on a thread pool, never on an event
/// loop: one hash is ~64 MiB and tens of milliseconds of CPU, and doing it
/// inline would stall every other request on that loop (heartbeats
/// included). The pool's size bounds how many run at once.
struct PasswordHasher: Sendable {
    let threadPool: NIOThreadPool

    /// The verifier for `authPW` under `authSalt`.
    func verifier(authPW: Hex32, authSalt: Data) async throws -> VerifierHash {
        try await threadPool.runIfActive {
            try VerifierHash(authPW: authPW.bytes, authSalt: authSalt)
        }
    }
}
