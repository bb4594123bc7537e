import Crypto
import CryptoExtras
import FxACore
import Foundation

/// `fxa-bench [scrypt|rs256] [--seconds S] [--workers W]`: raw rates of the
/// two CPU costs that bound the server, measured on this machine with one
/// worker per core, as baselines the load benchmarks divide by in the same
/// run. `scrypt` (default): the password stretch (N=65536, r=8, p=1, via
/// ``VerifierHash``), for `bench/run`. `rs256`: RSA-2048 PKCS#1 v1.5
/// signatures of a SHA-256 digest, as each Security Event Token needs, for
/// `bench/events`. Prints one JSON object.
@main
struct FxABench {
    static func main() throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, default fallback: Double) -> Double {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
                  let number = Double(arguments[index + 1]) else { return fallback }
            return number
        }
        let seconds = value("--seconds", default: 10)
        let workers = Int(value("--workers", default: Double(ProcessInfo.processInfo.activeProcessorCount)))
        if arguments.dropFirst().first == "rs256" {
            let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            let digest = SHA256.hash(data: SecureRandom.bytes(600))
            let (count, elapsed) = measure(workers: workers, seconds: seconds) {
                _ = try? key.signature(for: digest, padding: .insecurePKCS1v1_5)
            }
            print(#"{"workers": \#(workers), "signatures": \#(count), "seconds": \#(elapsed), "signatures_per_second": \#(Double(count) / elapsed)}"#)
        } else {
            let authPW = SecureRandom.bytes(32)
            let salt = SecureRandom.bytes(32)
            let (count, elapsed) = measure(workers: workers, seconds: seconds) {
                _ = try? VerifierHash(authPW: authPW, authSalt: salt)
            }
            print(#"{"workers": \#(workers), "hashes": \#(count), "seconds": \#(elapsed), "hashes_per_second": \#(Double(count) / elapsed)}"#)
        }
    }

    /// Runs `work` in a loop on `workers` threads for `seconds`; returns how
    /// many times it ran in all, and the elapsed time.
    static func measure(workers: Int, seconds: Double, _ work: @escaping @Sendable () -> Void) -> (Int, Double) {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        nonisolated(unsafe) let shared = counts
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while Date() < deadline {
                work()
                shared[worker] += 1
            }
        }
        return (counts.reduce(0, +), Date().timeIntervalSince(start))
    }
}
