import FxACore
import Foundation

/// A change that relying parties must hear about, recorded in the same
/// transaction as the change itself. The event broker delivers them.
public struct OutboxEvent: Sendable, Equatable {
    /// What happened, in FxA's event vocabulary.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case passwordChange = "password-change"
        case profileChange = "profile-change"
        case deleteUser = "delete-user"
        case subscriptionStateChange = "subscription-state-change"
    }

    public var id: UUID
    public var uid: AccountUID
    public var kind: Kind
    /// Event-specific fields (`changeTime`, new `email`, ...), as JSON.
    public var payload: [String: JSONValue]
    public var occurredAt: Date

    public init(id: UUID = UUID(), uid: AccountUID, kind: Kind, payload: [String: JSONValue] = [:], occurredAt: Date) {
        self.id = id
        self.uid = uid
        self.kind = kind
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// Reading the outbox and working through its deliveries. Events and their
/// deliveries are written inside other stores' transactions (the change
/// that caused them); this is the delivery worker's and the operator's side.
public protocol OutboxStore: Sendable {
    /// Every recorded event for `uid`, oldest first.
    func events(uid: AccountUID) async throws -> [OutboxEvent]

    /// Takes up to `limit` pending deliveries due at `now` whose lease (if
    /// any) has lapsed, leasing them to `owner` until `leaseUntil`, oldest
    /// due first, skipping the clients in `excluding` (whose slots are
    /// full). Two workers never get the same delivery while a lease holds
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
    func claimDeliveries(
        owner: String, now: Date, leaseUntil: Date, limit: Int, excluding: Set<OAuthClientID>
    ) async throws -> [EventDelivery]

    /// Records an attempt's outcome, if `owner` still holds the lease (a
    /// worker whose lease lapsed and was taken over changes nothing).
    /// Returns whether it did.
    @discardableResult
    func finish(deliveryID: UUID, owner: String, attempts: Int, outcome: DeliveryOutcome) async throws -> Bool

    /// Records several attempts' outcomes in one transaction (one commit, so
    /// one disk flush, for a whole batch of webhook answers). Returns how
    /// many were recorded (the others' leases had been lost).
    @discardableResult
    func finish(_ results: [DeliveryResult]) async throws -> Int

    /// Recent deliveries, newest first, optionally of one status and client.
    func deliveries(status: EventDelivery.Status?, clientID: OAuthClientID?, limit: Int) async throws -> [EventDelivery]

    /// Makes deliveries pending and due at `now` again: the one with `id`,
    /// or every failed one (of `clientID` when given). Returns how many.
    func retry(id: UUID?, clientID: OAuthClientID?, now: Date) async throws -> Int

    /// How many deliveries are pending (the queue depth).
    func pendingCount() async throws -> Int

    /// Deletes history older than `cutoff`: deliveries delivered before it
    /// and outbox events that occurred before it (the worker reads only
    /// deliveries, which carry their own copy of the event). Pending and
    /// failed deliveries are never deleted: the first are still owed, the
    /// second are the operator's to retry. Deletes at most `batch` rows of
    /// each per call; returns how many of each went.
    func prune(before cutoff: Date, batch: Int) async throws -> (deliveries: Int, events: Int)
}

/// One attempt's outcome, as the worker reports it in batches.
public struct DeliveryResult: Sendable, Equatable {
    public var deliveryID: UUID
    public var owner: String
    public var attempts: Int
    public var outcome: DeliveryOutcome

    public init(deliveryID: UUID, owner: String, attempts: Int, outcome: DeliveryOutcome) {
        self.deliveryID = deliveryID
        self.owner = owner
        self.attempts = attempts
        self.outcome = outcome
    }
}
