import FluentKit
import FxACore
import Foundation
import SQLKit

/// Writing events, inside the transaction of the change that caused them.
enum OutboxSQL {
    static let deliveryColumns =
        "id, event_id, client_id, uid, kind, payload, jti, occurred_at, created_at, status, attempts, next_attempt_at, "
        + "lease_owner, lease_until, last_status, last_error, delivered_at"

    /// Records `event` and, for every client the account authorized that
    /// has a webhook, a delivery due now. Runs on the caller's transaction,
    /// so the change, the event and its deliveries commit or vanish together.
    ///
    /// A client the user disconnected learns nothing new about the account
    /// (no password, profile or subscription change), but still hears of its
    /// deletion, which asks it to erase what it holds. FxA's event broker
    /// keeps sending every event to every client the account ever signed in
    /// to; this is stricter, by design (docs/events.md).
    static func record(_ event: OutboxEvent, on database: any Database) async throws {
        try await OutboxModel(event).create(on: database)
        let sql = sqlDatabase(database)
        var select: SQLQueryString = """
            SELECT c.id FROM account_clients ac JOIN oauth_clients c ON c.id = ac.client_id \
            WHERE ac.uid = \(bind: event.uid.hex) AND c.webhook_url IS NOT NULL
            """
        if event.kind != .deleteUser { select.appendInterpolation(unsafeRaw: " AND ac.disconnected_at IS NULL") }
        let rows = try await sql.raw(select).all()
        let payload = String(decoding: try JSONEncoder().encode(event.payload), as: UTF8.self)
        for row in rows {
            guard let clientID = OAuthClientID(hex: try row.decode(column: "id", as: String.self)) else { continue }
            let delivery = EventDelivery(
                eventID: event.id, clientID: clientID, uid: event.uid, kind: event.kind, payload: event.payload,
                occurredAt: event.occurredAt, createdAt: event.occurredAt, nextAttemptAt: event.occurredAt)
            try await sql.raw("""
                INSERT INTO event_deliveries (\(unsafeRaw: deliveryColumns)) VALUES (\(bind: delivery.id.uuidString.lowercased()), \
                \(bind: event.id.uuidString.lowercased()), \(bind: clientID.hex), \(bind: event.uid.hex), \
                \(bind: event.kind.rawValue), \(bind: payload), \(bind: delivery.jti), \(bind: event.occurredAt), \
                \(bind: delivery.createdAt), \(bind: EventDelivery.Status.pending.rawValue), 0, \(bind: delivery.nextAttemptAt), \
                NULL, NULL, NULL, NULL, NULL)
                """).run()
        }
    }

    /// Remembers that `uid` authorized `clientID` (idempotent); a client
    /// the user had disconnected is connected again. The row is written
    /// only when it changes, so a sign-in does not rewrite it every time.
    static func noteAuthorization(uid: AccountUID, clientID: OAuthClientID, at date: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO account_clients (uid, client_id, first_authorized_at) VALUES (\(bind: uid.hex), \(bind: clientID.hex), \
            \(bind: date)) ON CONFLICT (uid, client_id) DO UPDATE SET disconnected_at = NULL \
            WHERE account_clients.disconnected_at IS NOT NULL
            """).run()
    }

    /// Marks `clientID` disconnected from `uid` by the user (see ``record(_:on:)``).
    static func noteDisconnection(uid: AccountUID, clientID: OAuthClientID, at date: Date, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE account_clients SET disconnected_at = \(bind: date) \
            WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex)
            """).run()
    }

    static func delivery(from row: any SQLRow) throws -> EventDelivery? {
        guard let id = UUID(uuidString: try row.decode(column: "id", as: String.self)),
              let eventID = UUID(uuidString: try row.decode(column: "event_id", as: String.self)),
              let clientID = OAuthClientID(hex: try row.decode(column: "client_id", as: String.self)),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self)),
              let kind = OutboxEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
              let status = EventDelivery.Status(rawValue: try row.decode(column: "status", as: String.self)),
              let payload = try? JSONDecoder().decode(
                [String: JSONValue].self, from: Data(try row.decode(column: "payload", as: String.self).utf8))
        else { return nil }
        return EventDelivery(
            id: id, eventID: eventID, clientID: clientID, uid: uid, kind: kind, payload: payload,
            jti: try row.decode(column: "jti", as: String.self),
            occurredAt: try row.decode(column: "occurred_at", as: Date.self),
            createdAt: try row.decode(column: "created_at", as: Date.self), status: status,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date.self),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            leaseUntil: try row.decode(column: "lease_until", as: Date?.self),
            lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            deliveredAt: try row.decode(column: "delivered_at", as: Date?.self))
    }
}
