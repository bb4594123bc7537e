import FxACore
import Foundation

/// A row of `event_outbox`: one event to deliver (``OutboxEvent``).
struct OutboxEventRow: TableRow {
    static let table = "event_outbox"

    var id: UUID
    var uid: String
    var kind: String
    /// The payload as JSON.
    var payload: String
    var occurredAt: Date

    init(_ event: OutboxEvent) throws {
        id = event.id
        uid = event.uid.hex
        kind = event.kind.rawValue
        payload = try OutboxPayload.encode(event.payload)
        occurredAt = event.occurredAt
    }

    /// The stored event; `nil` for a kind this version does not know.
    var record: OutboxEvent? {
        guard let uid = AccountUID(hex: uid), let kind = OutboxEvent.Kind(rawValue: kind),
              let payload = OutboxPayload.decode(payload)
        else { return nil }
        return OutboxEvent(id: id, uid: uid, kind: kind, payload: payload, occurredAt: occurredAt)
    }
}

/// A row of `event_deliveries`: one event for one webhook (``EventDelivery``).
struct EventDeliveryRow: TableRow {
    static let table = "event_deliveries"

    /// The delivery's UUID, lowercase.
    var id: String
    /// The event's UUID, lowercase.
    var eventID: String
    var clientID: String
    var uid: String
    var kind: String
    /// The payload as JSON.
    var payload: String
    var jti: String
    var occurredAt: Date
    var createdAt: Date
    var status: String
    var attempts: Int
    var nextAttemptAt: Date
    var leaseOwner: String?
    var leaseUntil: Date?
    var lastStatus: Int?
    var lastError: String?
    var deliveredAt: Date?

    init(_ delivery: EventDelivery) throws {
        id = delivery.id.uuidString.lowercased()
        eventID = delivery.eventID.uuidString.lowercased()
        clientID = delivery.clientID.hex
        uid = delivery.uid.hex
        kind = delivery.kind.rawValue
        payload = try OutboxPayload.encode(delivery.payload)
        jti = delivery.jti
        occurredAt = delivery.occurredAt
        createdAt = delivery.createdAt
        status = delivery.status.rawValue
        attempts = delivery.attempts
        nextAttemptAt = delivery.nextAttemptAt
        leaseOwner = delivery.leaseOwner
        leaseUntil = delivery.leaseUntil
        lastStatus = delivery.lastStatus
        lastError = delivery.lastError
        deliveredAt = delivery.deliveredAt
    }

    /// The stored delivery; `nil` for a row this version cannot read.
    var record: EventDelivery? {
        guard let id = UUID(uuidString: id), let eventID = UUID(uuidString: eventID),
              let clientID = OAuthClientID(hex: clientID), let uid = AccountUID(hex: uid),
              let kind = OutboxEvent.Kind(rawValue: kind), let status = EventDelivery.Status(rawValue: status),
              let payload = OutboxPayload.decode(payload)
        else { return nil }
        return EventDelivery(
            id: id, eventID: eventID, clientID: clientID, uid: uid, kind: kind, payload: payload, jti: jti,
            occurredAt: occurredAt, createdAt: createdAt, status: status, attempts: attempts, nextAttemptAt: nextAttemptAt,
            leaseOwner: leaseOwner, leaseUntil: leaseUntil, lastStatus: lastStatus, lastError: lastError,
            deliveredAt: deliveredAt)
    }
}

/// A row of `account_clients`: a relying party the account authorized,
/// kept after the tokens expire (an RP that once held the user's data must
/// hear when it changes).
struct AccountClientRow: TableRow {
    static let table = "account_clients"

    var uid: String
    var clientID: String
    var firstAuthorizedAt: Date
    /// When the user disconnected it in Devices & apps; `nil` while connected.
    var disconnectedAt: Date?
}

/// An event's payload as the outbox stores it: JSON text.
enum OutboxPayload {
    static func encode(_ payload: [String: JSONValue]) throws -> String {
        String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
    }

    static func decode(_ text: String) -> [String: JSONValue]? {
        try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
    }
}
