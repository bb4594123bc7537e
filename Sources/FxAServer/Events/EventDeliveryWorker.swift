import CoreMetrics
import FxACore
import FxAStore
import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Sends the outbox's deliveries to relying parties' webhooks. Runs in every
/// server process; instances on one PostgreSQL database share the work
/// through leased claims, and a crashed instance's claims lapse and are
/// taken over, so delivery is at-least-once.
///
/// Requests run concurrently, at most ``EventDeliveryPolicy/perClientConcurrency``
/// per RP and ``EventDeliveryPolicy/maxInFlight`` in all: an RP that hangs
/// until the timeout holds only its own slots, never another RP's. A
/// delivery is marked delivered only after a 2xx; anything else is retried
/// with backoff until ``EventDeliveryPolicy/maxAge``, then marked failed and
/// kept; 410 Gone turns the RP's webhook off. Every attempt is logged with
/// its status and latency.
final class EventDeliveryWorker: LifecycleHandler, Sendable {
    private let outbox: any OutboxStore
    private let clients: any OAuthClientStore
    private let signer: SecurityEventTokenSigner
    private let policy: EventDeliveryPolicy
    private let clock: any WallClock
    private let metrics: ServerMetrics
    /// This worker's name in leases: unique per process start.
    let owner: String
    private let state = NIOLockedValueBox(State())

    private struct State {
        var task: Task<Void, Never>?
        var recorder: DeliveryOutcomeRecorder?
        var recorderTask: Task<Void, Never>?
        var client: HTTPClient?
        var wake: AsyncStream<Void>.Continuation?
    }

    init(
        outbox: any OutboxStore, clients: any OAuthClientStore, signer: SecurityEventTokenSigner, policy: EventDeliveryPolicy,
        clock: any WallClock, metrics: ServerMetrics
    ) {
        self.outbox = outbox
        self.clients = clients
        self.signer = signer
        self.policy = policy
        self.clock = clock
        self.metrics = metrics
        owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    /// Starts the loop. Synchronous on purpose: Vapor's `boot()` (used by
    /// its test harness) calls only the synchronous hook, `asyncBoot()`
    /// (used by `serve`) calls both.
    func didBoot(_ application: Application) throws {
        let client = WebhookSender.makeClient(eventLoopGroup: application.eventLoopGroup)
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let logger = application.logger
        let recorder = DeliveryOutcomeRecorder(outbox: outbox)
        let recorderTask = Task { await recorder.run(logger: logger) }
        let task = Task { [self] in
            await run(sender: WebhookSender(client: client), recorder: recorder, signals: signals, logger: logger)
        }
        state.withLockedValue { state in
            state.client = client
            state.wake = continuation
            state.task = task
            state.recorder = recorder
            state.recorderTask = recorderTask
        }
    }

    func shutdownAsync(_ application: Application) async {
        let (task, client, wake, recorder, recorderTask) = state.withLockedValue { state in
            defer { state = State() }
            return (state.task, state.client, state.wake, state.recorder, state.recorderTask)
        }
        wake?.finish()
        task?.cancel()
        await task?.value
        // Outcomes of the attempts that finished are written before stopping.
        recorder?.close()
        await recorderTask?.value
        try? await client?.shutdown()
    }

    /// The loop: claim what there is room for, start it, wait for a
    /// completion, a wake-up or the poll interval; until cancelled.
    private func run(
        sender: WebhookSender, recorder: DeliveryOutcomeRecorder, signals: AsyncStream<Void>, logger: Logger
    ) async {
        let inFlight = NIOLockedValueBox([OAuthClientID: Int]())
        let ticker = Task { [self, state] in
            var lastDepthReport = ContinuousClock.now - .seconds(60)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(policy.pollInterval * 1000)))
                _ = state.withLockedValue { $0.wake?.yield() }
                if ContinuousClock.now - lastDepthReport > .seconds(5) {
                    lastDepthReport = ContinuousClock.now
                    if let depth = try? await outbox.pendingCount() {
                        Gauge(label: "fxa_event_queue_depth", factory: metrics.factory).record(depth)
                    }
                }
            }
        }
        await withDiscardingTaskGroup { group in
            var iterator = signals.makeAsyncIterator()
            repeat {
                if Task.isCancelled { break }
                let busy = inFlight.withLockedValue { $0 }
                let total = busy.values.reduce(0, +)
                guard total < policy.maxInFlight else { continue }
                let saturated = Set(busy.filter { $0.value >= policy.perClientConcurrency }.keys)
                let claimed: [EventDelivery]
                do {
                    let now = clock.now()
                    claimed = try await outbox.claimDeliveries(
                        owner: owner, now: now, leaseUntil: now.addingTimeInterval(policy.lease),
                        limit: policy.maxInFlight - total, excluding: saturated)
                } catch {
                    logger.warning("event deliveries not claimed", metadata: ["cause": "\(error)"])
                    continue
                }
                // One look-up per client per batch, not per delivery. A failed
                // look-up (the database) is not "no webhook": those deliveries
                // go back to the queue untouched.
                var webhooks: [OAuthClientID: String?] = [:]
                for clientID in Set(claimed.map(\.clientID)) {
                    do {
                        webhooks[clientID] = .some(try await clients.client(id: clientID)?.webhookURL)
                    } catch {
                        logger.warning("event deliveries postponed: client not read", metadata: ["cause": "\(error)"])
                    }
                }
                // Deliveries this worker cannot start now go back in one
                // transaction, untouched (same attempt count), due again soon.
                var handBack: [DeliveryResult] = []
                defer { if !handBack.isEmpty { recorder.record(handBack) } }
                for delivery in claimed {
                    func giveBack(after delay: TimeInterval, _ reason: String) {
                        handBack.append(DeliveryResult(
                            deliveryID: delivery.id, owner: owner, attempts: delivery.attempts,
                            outcome: .retry(status: delivery.lastStatus, error: delivery.lastError ?? reason,
                                            next: clock.now().addingTimeInterval(delay))))
                    }
                    guard let webhook = webhooks[delivery.clientID] else {
                        giveBack(after: 1, "postponed")
                        continue
                    }
                    let admitted = inFlight.withLockedValue { counts in
                        guard counts[delivery.clientID, default: 0] < policy.perClientConcurrency else { return false }
                        counts[delivery.clientID, default: 0] += 1
                        return true
                    }
                    guard admitted else {
                        // That RP's slots filled within this batch (the next
                        // claim skips the RP until a slot frees).
                        giveBack(after: 0, "waiting for a slot")
                        continue
                    }
                    group.addTask { [self, state] in
                        await attempt(delivery, webhook: webhook, sender: sender, recorder: recorder, logger: logger)
                        inFlight.withLockedValue { counts in
                            counts[delivery.clientID, default: 1] -= 1
                            if counts[delivery.clientID] == 0 { counts[delivery.clientID] = nil }
                        }
                        _ = state.withLockedValue { $0.wake?.yield() }
                    }
                }
            } while await iterator.next() != nil
            group.cancelAll()
        }
        ticker.cancel()
        await ticker.value
    }

    /// One attempt: sign, POST, hand the outcome to the recorder.
    private func attempt(
        _ delivery: EventDelivery, webhook: String?, sender: WebhookSender, recorder: DeliveryOutcomeRecorder, logger: Logger
    ) async {
        let attempts = delivery.attempts + 1
        var metadata: Logger.Metadata = [
            "delivery": "\(delivery.id)", "client": "\(delivery.clientID.hex)", "event": "\(delivery.kind.rawValue)",
            "jti": "\(delivery.jti)", "attempt": "\(attempts)",
        ]
        let outcome: DeliveryOutcome
        if let webhook {
            let started = ContinuousClock.now
            do {
                let token = try await signer.sign(delivery, at: clock.now())
                let answer = await sender.post(token, to: webhook, timeout: policy.timeout)
                if Task.isCancelled {
                    // Shutting down: not the webhook's fault, so not an attempt.
                    recorder.record(DeliveryResult(
                        deliveryID: delivery.id, owner: owner, attempts: delivery.attempts,
                        outcome: .retry(status: delivery.lastStatus, error: "interrupted by a shutdown", next: clock.now())))
                    return
                }
                let elapsed = ContinuousClock.now - started
                let nanoseconds = Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
                metadata["latency_ms"] = "\(nanoseconds / 1_000_000)"
                Timer(label: "fxa_event_delivery_duration_seconds", dimensions: [("client", delivery.clientID.hex)], factory: metrics.factory)
                    .recordNanoseconds(nanoseconds)
                outcome = decide(answer, delivery: delivery, attempts: attempts)
            } catch {
                outcome = .retry(
                    status: nil, error: "not sent: \(WebhookSender.describe(error))",
                    next: policy.nextAttempt(after: attempts, now: clock.now()))
            }
        } else {
            outcome = .failed(status: nil, error: "the client has no webhook any more", disableWebhook: false)
        }
        log(delivery, outcome: outcome, metadata: metadata, logger: logger)
        recorder.record(DeliveryResult(deliveryID: delivery.id, owner: owner, attempts: attempts, outcome: outcome))
    }

    /// 2xx delivered; 410 failed for good (webhook off); anything else
    /// retried, until the event is older than the policy's maximum age.
    func decide(_ answer: WebhookSender.Answer, delivery: EventDelivery, attempts: Int) -> DeliveryOutcome {
        let now = clock.now()
        let status: Int?
        let error: String
        switch answer {
        case .status(let code) where (200..<300).contains(code):
            return .delivered(status: code, at: now)
        case .status(410):
            return .failed(status: 410, error: "HTTP 410 Gone: webhook turned off", disableWebhook: true)
        case .status(let code):
            status = code
            error = "HTTP \(code)"
        case .unreachable(let reason):
            status = nil
            error = reason
        }
        let next = policy.nextAttempt(after: attempts, now: now)
        if next.timeIntervalSince(delivery.createdAt) > policy.maxAge {
            return .failed(status: status, error: "\(error); given up after \(attempts) attempts", disableWebhook: false)
        }
        return .retry(status: status, error: error, next: next)
    }

    /// What a failed attempt's log line says about the answer.
    private static func failure(_ status: Int?, _ error: String) -> Logger.Metadata {
        ["status": "\(status.map(String.init) ?? "none")", "error": "\(error)"]
    }

    private func log(_ delivery: EventDelivery, outcome: DeliveryOutcome, metadata: Logger.Metadata, logger: Logger) {
        var metadata = metadata
        let dimensions = [("client", delivery.clientID.hex)]
        let label: String
        switch outcome {
        case .delivered(let status, _):
            metadata["status"] = "\(status)"
            logger.info("event delivered", metadata: metadata)
            label = "delivered"
        case let .retry(status, error, next):
            metadata.merge(Self.failure(status, error)) { $1 }
            metadata["next_attempt"] = "\(next)"
            logger.warning("event delivery failed, will retry", metadata: metadata)
            label = "retry"
        case let .failed(status, error, _):
            metadata.merge(Self.failure(status, error)) { $1 }
            logger.error("event delivery given up", metadata: metadata)
            label = "failed"
        }
        Counter(label: "fxa_event_deliveries_total", dimensions: dimensions + [("outcome", label)], factory: metrics.factory).increment()
    }
}
