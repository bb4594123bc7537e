import FxACore
import Foundation
import SQLKit

/// Writing events, inside the transaction of the change that caused them.
enum OutboxSQL {
    /// Records `event` and, for every client the account authorized that
    /// has a webhook, a delivery due now. Runs on the caller's transaction,
    /// so the change, the event and its deliveries commit or vanish together.
    ///
    /// A client the user disconnected learns nothing new about the account
    /// (no password, profile or subscription change), but still hears of its
    /// deletion, which asks it to erase what it holds. FxA's event broker
    /// keeps sending every event to every client the account ever signed in
    /// to; this is stricter, by design (docs/events.md).
    static func record(_ event: OutboxEvent, on sql: any SQLDatabase) async throws {
        try await sql.insert(OutboxEventRow(event))
        var select: SQLQueryString = """
            SELECT c.id FROM account_clients ac JOIN oauth_clients c ON c.id = ac.client_id \
            WHERE ac.uid = \(bind: event.uid.hex) AND c.webhook_url IS NOT NULL
            """
        if event.kind != .deleteUser { select.appendInterpolation(unsafeRaw: " AND ac.disconnected_at IS NULL") }
        let deliveries = try await sql.raw(select).all().compactMap { row throws -> EventDeliveryRow? in
            guard let clientID = OAuthClientID(hex: try row.decode(column: "id", as: String.self)) else { return nil }
            return try EventDeliveryRow(EventDelivery(
                eventID: event.id, clientID: clientID, uid: event.uid, kind: event.kind, payload: event.payload,
                occurredAt: event.occurredAt, createdAt: event.occurredAt, nextAttemptAt: event.occurredAt))
        }
        try await sql.insert(deliveries)
    }

    /// Remembers that `uid` authorized `clientID` (idempotent); a client
    /// the user had disconnected is connected again. The row is written
    /// only when it changes, so a sign-in does not rewrite it every time.
    static func noteAuthorization(uid: AccountUID, clientID: OAuthClientID, at date: Date, on sql: any SQLDatabase) async throws {
        let row = AccountClientRow(uid: uid.hex, clientID: clientID.hex, firstAuthorizedAt: date)
        try await sql.raw(try row.insertStatement() + """
             ON CONFLICT (uid, client_id) DO UPDATE SET disconnected_at = NULL \
            WHERE account_clients.disconnected_at IS NOT NULL
            """).run()
    }

    /// Marks `clientID` disconnected from `uid` by the user (see ``record(_:on:)``).
    static func noteDisconnection(uid: AccountUID, clientID: OAuthClientID, at date: Date, on sql: any SQLDatabase) async throws {
        try await sql.update(AccountClientRow.table)
            .set("disconnected_at", to: date)
            .where("uid", .equal, uid.hex)
            .where("client_id", .equal, clientID.hex)
            .run()
    }
}
