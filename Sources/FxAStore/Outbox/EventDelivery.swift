import FxACore
import Foundation

/// One event on its way to one relying party's webhook: the unit the
/// delivery worker claims, sends, retries and finally marks delivered or
/// failed. Written in the same transaction as the event (and so as the
/// change), for every RP the account has authorized that has a webhook.
public struct EventDelivery: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for its first or next attempt.
        case pending
        /// The webhook answered 2xx.
        case delivered
        /// Given up (too old, or the webhook answered 410 Gone); kept for
        /// the operator, who can retry it.
        case failed
    }

    public var id: UUID
    public var eventID: UUID
    public var clientID: OAuthClientID
    public var uid: AccountUID
    public var kind: OutboxEvent.Kind
    public var payload: [String: JSONValue]
    /// The SET's `jti`: the same on every attempt, so an RP that saw a
    /// retried delivery before can tell.
    public var jti: String
    public var occurredAt: Date
    public var createdAt: Date
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    /// Which worker holds it, and until when (a crashed worker's claims
    /// lapse and another takes them).
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// The last attempt's HTTP status, if the webhook answered at all.
    public var lastStatus: Int?
    /// Why the last attempt failed, in words (no response body is kept).
    public var lastError: String?
    public var deliveredAt: Date?

    public init(
        id: UUID = UUID(), eventID: UUID, clientID: OAuthClientID, uid: AccountUID, kind: OutboxEvent.Kind,
        payload: [String: JSONValue], jti: String = UUID().uuidString.lowercased(), occurredAt: Date, createdAt: Date,
        status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date, leaseOwner: String? = nil,
        leaseUntil: Date? = nil, lastStatus: Int? = nil, lastError: String? = nil, deliveredAt: Date? = nil
    ) {
        self.id = id
        self.eventID = eventID
        self.clientID = clientID
        self.uid = uid
        self.kind = kind
        self.payload = payload
        self.jti = jti
        self.occurredAt = occurredAt
        self.createdAt = createdAt
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}

/// What became of one attempt, as the worker reports it to the store.
public enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx.
    case delivered(status: Int, at: Date)
    /// Try again at `next` (`status` nil when there was no HTTP answer).
    case retry(status: Int?, error: String, next: Date)
    /// Give up: too old, or 410 Gone (which also turns the client's webhook off).
    case failed(status: Int?, error: String, disableWebhook: Bool)
}
