import FxAStore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Writes attempt outcomes to the store in batches: while one batch's
/// transaction commits, the next outcomes gather, so a busy worker pays one
/// commit (one disk flush on SQLite) per batch instead of per webhook call.
///
/// An outcome not yet written when the process dies is not lost work: the
/// delivery's lease lapses and it is sent again (delivery is at least once,
/// and the `jti` is the same).
final class DeliveryOutcomeRecorder: Sendable {
    private let outbox: any OutboxStore
    private let pending = NIOLockedValueBox<[DeliveryResult]>([])
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    init(outbox: any OutboxStore) {
        self.outbox = outbox
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func record(_ result: DeliveryResult) {
        record([result])
    }

    func record(_ results: [DeliveryResult]) {
        pending.withLockedValue { $0.append(contentsOf: results) }
        signal.yield()
    }

    /// Writes until ``close()``, then writes what is left and returns.
    func run(logger: Logger) async {
        for await _ in signals { await drain(logger: logger) }
        await drain(logger: logger)
    }

    /// No more outcomes: ``run(logger:)`` finishes after writing the rest.
    func close() { signal.finish() }

    private func drain(logger: Logger) async {
        while true {
            let batch = pending.withLockedValue { pending in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            guard !batch.isEmpty else { return }
            var tries = 0
            while true {
                do {
                    let recorded = try await outbox.finish(batch)
                    if recorded < batch.count {
                        logger.warning("event delivery outcomes not recorded: their leases were lost to another worker",
                                       metadata: ["count": "\(batch.count - recorded)"])
                    }
                    break
                } catch {
                    tries += 1
                    guard tries < 5 else {
                        // The leases lapse and these deliveries are sent again.
                        logger.error("event delivery outcomes not written", metadata: ["count": "\(batch.count)", "cause": "\(error)"])
                        break
                    }
                    try? await Task.sleep(for: .milliseconds(100 * tries))
                }
            }
        }
    }
}
