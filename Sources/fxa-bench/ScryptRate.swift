import FxACore
import Foundation

/// `fxa-bench scrypt`: the raw rate of the server's password stretch
/// (scrypt N=65536, r=8, p=1 via ``VerifierHash``) on this machine, with
/// one worker per core, as the baseline that login throughput is compared
/// with in `bench/run`. Prints one JSON object.
@main
struct ScryptRate {
    static func main() throws {
        let arguments = CommandLine.arguments
        func value(_ name: String, default fallback: Double) -> Double {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
                  let number = Double(arguments[index + 1]) else { return fallback }
            return number
        }
        let seconds = value("--seconds", default: 10)
        let workers = Int(value("--workers", default: Double(ProcessInfo.processInfo.activeProcessorCount)))
        let authPW = SecureRandom.bytes(32)
        let salt = SecureRandom.bytes(32)

        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        nonisolated(unsafe) let shared = counts
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while Date() < deadline {
                _ = try? VerifierHash(authPW: authPW, authSalt: salt)
                shared[worker] += 1
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        let total = counts.reduce(0, +)
        print(#"{"workers": \#(workers), "hashes": \#(total), "seconds": \#(elapsed), "hashes_per_second": \#(Double(total) / elapsed)}"#)
    }
}
