import Foundation

/// How the delivery worker treats webhooks: how long it waits for one, how
/// many requests it keeps open per RP and in all, how it backs off, and when
/// it gives up. The defaults suit a public server; tests shorten them.
public struct EventDeliveryPolicy: Sendable, Equatable {
    /// Longest wait for one webhook answer.
    public var timeout: TimeInterval = 10
    /// After this long since the event, a delivery that still fails is
    /// marked failed and kept for the operator (`fxa-server events retry`).
    public var maxAge: TimeInterval = 3 * 24 * 3600
    /// Requests open at once to one RP, so one RP cannot take every slot.
    public var perClientConcurrency = 16
    /// Requests open at once in this process.
    public var maxInFlight = 64
    /// How long a claimed delivery stays this worker's; past it, another
    /// worker may take it over (this one crashed). Longer than `timeout`
    /// (the configuration makes it three times the timeout).
    public var lease: TimeInterval = 30
    /// How often the worker looks for due deliveries when idle.
    public var pollInterval: TimeInterval = 0.25
    /// First retry delay, doubled per attempt up to `maxBackoff`.
    public var initialBackoff: TimeInterval = 1
    public var maxBackoff: TimeInterval = 3600
    /// Delivered deliveries and outbox events older than this are deleted
    /// (pending and failed deliveries never are).
    public var retention: TimeInterval = 30 * 24 * 3600
    /// Whether this process delivers at all. Off, events still queue (the
    /// outbox is written in the same transaction as the change), for another
    /// instance to deliver or for this one once it is turned back on.
    public var enabled = true

    public init() {}

    /// When to try again after `attempts` failed attempts: exponential
    /// backoff with jitter (half to all of the delay), so RPs that come back
    /// up are not hit by every delivery at the same instant.
    public func nextAttempt(after attempts: Int, now: Date, jitter: Double = Double.random(in: 0.5...1)) -> Date {
        let exponent = min(max(attempts - 1, 0), 30)
        let delay = min(maxBackoff, initialBackoff * pow(2, Double(exponent)))
        return now.addingTimeInterval(delay * jitter)
    }
}
