import FxACore
import FxAStore
import Foundation
import Logging

/// Deletes event history past its retention: deliveries delivered longer
/// ago than ``EventDeliveryPolicy/retention`` and outbox events as old.
/// Pending and failed deliveries stay. Run by a ``PeriodicSweeper``; each
/// sweep deletes in batches until nothing old is left.
struct EventHistorySweeper: Sendable {
    let outbox: any OutboxStore
    let clock: any WallClock
    let retention: TimeInterval
    let logger: Logger
    var batch = 1000

    func sweep() async throws {
        let cutoff = clock.now().addingTimeInterval(-retention)
        var total = (deliveries: 0, events: 0)
        while true {
            let pruned = try await outbox.prune(before: cutoff, batch: batch)
            total.deliveries += pruned.deliveries
            total.events += pruned.events
            if pruned.deliveries < batch && pruned.events < batch { break }
        }
        if total.deliveries > 0 || total.events > 0 {
            logger.info("pruned event history", metadata: [
                "deliveries": .stringConvertible(total.deliveries), "events": .stringConvertible(total.events),
            ])
        }
    }
}
