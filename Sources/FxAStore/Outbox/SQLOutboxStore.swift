import FxACore
import Foundation
import SQLKit

/// ``OutboxStore`` on `event_outbox` (``OutboxEventRow``), `event_deliveries`
/// (``EventDeliveryRow``) and `account_clients` (``AccountClientRow``).
public struct SQLOutboxStore: OutboxStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func events(uid: AccountUID) async throws -> [OutboxEvent] {
        try await database.sql().selectRows(OutboxEventRow.self)
            .where("uid", .equal, uid.hex)
            .orderBy("occurred_at")
            .rows(OutboxEventRow.self)
            .compactMap(\.record)
    }

    public func claimDeliveries(
        owner: String, now: Date, leaseUntil: Date, limit: Int, excluding: Set<OAuthClientID>
    ) async throws -> [EventDelivery] {
        var query: SQLQueryString = """
            UPDATE event_deliveries SET lease_owner = \(bind: owner), lease_until = \(bind: leaseUntil) \
            WHERE id IN (SELECT id FROM event_deliveries WHERE status = 'pending' AND next_attempt_at <= \(bind: now) \
            AND (lease_until IS NULL OR lease_until < \(bind: now))
            """
        for client in excluding.sorted(by: { $0.hex < $1.hex }) {
            query.appendInterpolation(unsafeRaw: " AND client_id <> ")
            query.appendInterpolation(bind: client.hex)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY next_attempt_at LIMIT \(max(1, limit))")
        // SQLite has one writer, so the inner SELECT cannot race another
        // claim; PostgreSQL needs the rows locked and skips locked ones.
        if database.location.isPostgres { query.appendInterpolation(unsafeRaw: " FOR UPDATE SKIP LOCKED") }
        query.appendInterpolation(unsafeRaw: ") RETURNING *")
        let rows = try await database.sql().raw(query).rows(EventDeliveryRow.self)
        return rows.compactMap(\.record).sorted { $0.nextAttemptAt < $1.nextAttemptAt }
    }

    public func finish(deliveryID: UUID, owner: String, attempts: Int, outcome: DeliveryOutcome) async throws -> Bool {
        try await finish([DeliveryResult(deliveryID: deliveryID, owner: owner, attempts: attempts, outcome: outcome)]) == 1
    }

    public func finish(_ results: [DeliveryResult]) async throws -> Int {
        guard !results.isEmpty else { return 0 }
        return try await database.transaction { sql in
            var recorded = 0
            for result in results where try await Self.finish(result, on: sql) { recorded += 1 }
            return recorded
        }
    }

    /// One outcome, if its owner still holds the lease.
    private static func finish(_ result: DeliveryResult, on sql: any SQLDatabase) async throws -> Bool {
        let id = result.deliveryID.uuidString.lowercased()
        let attempts = result.attempts
        let held: SQLQueryString = "id = \(bind: id) AND lease_owner = \(bind: result.owner) AND status = 'pending'"
        let updated: (any SQLRow)?
        switch result.outcome {
        case let .delivered(status, at):
            updated = try await sql.raw("""
                UPDATE event_deliveries SET status = 'delivered', delivered_at = \(bind: at), attempts = \(bind: attempts), \
                last_status = \(bind: status), last_error = NULL, lease_owner = NULL, lease_until = NULL \
                WHERE \(held) RETURNING client_id
                """).first()
        case let .retry(status, error, next):
            updated = try await sql.raw("""
                UPDATE event_deliveries SET next_attempt_at = \(bind: next), attempts = \(bind: attempts), \
                last_status = \(bind: status), last_error = \(bind: error), lease_owner = NULL, lease_until = NULL \
                WHERE \(held) RETURNING client_id
                """).first()
        case let .failed(status, error, disableWebhook):
            updated = try await sql.raw("""
                UPDATE event_deliveries SET status = 'failed', attempts = \(bind: attempts), last_status = \(bind: status), \
                last_error = \(bind: error), lease_owner = NULL, lease_until = NULL WHERE \(held) RETURNING client_id
                """).first()
            if disableWebhook, let row = updated {
                // 410 Gone: the RP says the endpoint will never work again.
                let clientID = try row.decode(column: "client_id", as: String.self)
                try await sql.raw("UPDATE oauth_clients SET webhook_url = NULL WHERE id = \(bind: clientID)").run()
                try await sql.raw("""
                    UPDATE event_deliveries SET status = 'failed', last_error = \(bind: "webhook turned off after 410 Gone"), \
                    lease_owner = NULL, lease_until = NULL WHERE client_id = \(bind: clientID) AND status = 'pending'
                    """).run()
            }
        }
        return updated != nil
    }

    public func deliveries(status: EventDelivery.Status?, clientID: OAuthClientID?, limit: Int) async throws -> [EventDelivery] {
        let query = try database.sql().selectRows(EventDeliveryRow.self)
        if let status { query.where("status", .equal, status.rawValue) }
        if let clientID { query.where("client_id", .equal, clientID.hex) }
        return try await query.orderBy("created_at", .descending).orderBy("id").limit(max(1, limit))
            .rows(EventDeliveryRow.self).compactMap(\.record)
    }

    public func retry(id: UUID?, clientID: OAuthClientID?, now: Date) async throws -> Int {
        var query: SQLQueryString = """
            UPDATE event_deliveries SET status = 'pending', next_attempt_at = \(bind: now), lease_owner = NULL, \
            lease_until = NULL WHERE
            """
        if let id {
            query.appendInterpolation(unsafeRaw: " id = ")
            query.appendInterpolation(bind: id.uuidString.lowercased())
            // A pending delivery whose lease holds is being sent right now:
            // clearing its lease would let a second worker send it too.
            query.appendInterpolation(unsafeRaw: " AND (status = 'failed' OR (status = 'pending' AND (lease_until IS NULL OR lease_until < ")
            query.appendInterpolation(bind: now)
            query.appendInterpolation(unsafeRaw: ")))")
        } else {
            query.appendInterpolation(unsafeRaw: " status = 'failed'")
        }
        if let clientID { query.appendInterpolation(unsafeRaw: " AND client_id = "); query.appendInterpolation(bind: clientID.hex) }
        query.appendInterpolation(unsafeRaw: " RETURNING id")
        return try await database.sql().raw(query).all().count
    }

    public func prune(before cutoff: Date, batch: Int) async throws -> (deliveries: Int, events: Int) {
        let sql = try database.sql()
        let limit = max(1, batch)
        let deliveries = try await sql.raw("""
            DELETE FROM event_deliveries WHERE id IN (SELECT id FROM event_deliveries \
            WHERE status = 'delivered' AND delivered_at < \(bind: cutoff) LIMIT \(unsafeRaw: String(limit))) RETURNING id
            """).all().count
        let events = try await sql.raw("""
            DELETE FROM event_outbox WHERE id IN (SELECT id FROM event_outbox \
            WHERE occurred_at < \(bind: cutoff) LIMIT \(unsafeRaw: String(limit))) RETURNING id
            """).all().count
        if deliveries > 0 || events > 0 { database.noteCommittedChange() }
        return (deliveries, events)
    }

    public func pendingCount() async throws -> Int {
        // A count over many rows: on the writer, not a reader on the
        // caller's event loop (SQLiteReaderPool serves lookups by key).
        let row = try await database.sql().raw("SELECT COUNT(*) AS n FROM event_deliveries WHERE status = 'pending'").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
