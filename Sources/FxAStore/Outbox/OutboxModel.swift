import FluentKit
import FxACore
import Foundation
import SQLKit

/// The `event_outbox` table: one row per event to deliver.
final class OutboxModel: Model, @unchecked Sendable {
    static let schema = "event_outbox"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "uid") var uid: String
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}

    init(_ event: OutboxEvent) throws {
        id = event.id
        uid = event.uid.hex
        kind = event.kind.rawValue
        payload = String(decoding: try JSONEncoder().encode(event.payload), as: UTF8.self)
        occurredAt = event.occurredAt
    }

    var event: OutboxEvent? {
        guard let id, let uid = AccountUID(hex: uid), let kind = OutboxEvent.Kind(rawValue: kind),
              let payload = try? JSONDecoder().decode([String: JSONValue].self, from: Data(payload.utf8))
        else { return nil }
        return OutboxEvent(id: id, uid: uid, kind: kind, payload: payload, occurredAt: occurredAt)
    }
}

/// Creates `event_outbox`.
struct CreateEventOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema)
            .field("id", .uuid, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema).delete()
    }
}

/// ``OutboxStore`` through Fluent.
public struct FluentOutboxStore: OutboxStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func events(uid: AccountUID) async throws -> [OutboxEvent] {
        try await OutboxModel.query(on: database.handle())
            .filter(\.$uid == uid.hex)
            .sort(\.$occurredAt)
            .all()
            .compactMap(\.event)
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
        query.appendInterpolation(unsafeRaw: ") RETURNING \(OutboxSQL.deliveryColumns)")
        let rows = try await database.sql().raw(query).all()
        return try rows.compactMap(OutboxSQL.delivery(from:)).sorted { $0.nextAttemptAt < $1.nextAttemptAt }
    }

    public func finish(deliveryID: UUID, owner: String, attempts: Int, outcome: DeliveryOutcome) async throws -> Bool {
        try await finish([DeliveryResult(deliveryID: deliveryID, owner: owner, attempts: attempts, outcome: outcome)]) == 1
    }

    public func finish(_ results: [DeliveryResult]) async throws -> Int {
        guard !results.isEmpty else { return 0 }
        return try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
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
        var query: SQLQueryString = "SELECT \(unsafeRaw: OutboxSQL.deliveryColumns) FROM event_deliveries WHERE 1 = 1"
        if let status { query.appendInterpolation(unsafeRaw: " AND status = "); query.appendInterpolation(bind: status.rawValue) }
        if let clientID { query.appendInterpolation(unsafeRaw: " AND client_id = "); query.appendInterpolation(bind: clientID.hex) }
        query.appendInterpolation(unsafeRaw: " ORDER BY created_at DESC, id LIMIT \(max(1, limit))")
        return try await database.sql().raw(query).all().compactMap(OutboxSQL.delivery(from:))
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
        let row = try await database.readSQL().raw("SELECT COUNT(*) AS n FROM event_deliveries WHERE status = 'pending'").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
