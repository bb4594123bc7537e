import FluentKit
import Foundation
import SQLKit

/// Creates `event_outbox`.
struct CreateEventOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxEventRow.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxEventRow.table).delete()
    }
}

/// `account_clients`: which relying parties each account has authorized
/// (a code or token was issued to them), kept after the tokens expire,
/// because an RP that once held a user's data must hear when it changes.
/// Rows go with the account, after its delete-user event is fanned out.
struct CreateAccountClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountClientRow.table)
            .field("uid", .string, .required)
            .field("client_id", .string, .required)
            .field("first_authorized_at", .datetime, .required)
            .compositeIdentifier(over: "uid", "client_id")
            .create()
        // Grants made before this table existed count too.
        try await sqlDatabase(database).raw("""
            INSERT INTO account_clients (uid, client_id, first_authorized_at) \
            SELECT uid, client_id, MIN(created_at) FROM oauth_tokens GROUP BY uid, client_id
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountClientRow.table).delete()
    }
}

/// Indexes for pruning old history by time.
struct AddEventRetentionIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = sqlDatabase(database)
        try await sql.create(index: "event_deliveries_delivered").on("event_deliveries").column("status").column("delivered_at").run()
        try await sql.create(index: "event_outbox_occurred").on("event_outbox").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = sqlDatabase(database)
        try await sql.drop(index: "event_deliveries_delivered").run()
        try await sql.drop(index: "event_outbox_occurred").run()
    }
}

/// `event_deliveries`: one row per event per webhook (see ``EventDelivery``).
struct CreateEventDeliveries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EventDeliveryRow.table)
            .field("id", .string, .identifier(auto: false))
            .field("event_id", .string, .required)
            .field("client_id", .string, .required)
            .field("uid", .string, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("jti", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("last_status", .int)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .unique(on: "jti", name: "event_deliveries_jti_key")
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "event_deliveries_due").on("event_deliveries").column("status").column("next_attempt_at").run()
        try await sql.create(index: "event_deliveries_client").on("event_deliveries").column("client_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EventDeliveryRow.table).delete()
    }
}

/// Adds `account_clients.disconnected_at`: when the user disconnected the
/// client in Devices & apps (`NULL` while connected). A disconnected client
/// is sent only the account's deletion; authorizing it again clears the
/// column. Existing rows stay connected, which is what they were.
struct AddAccountClientDisconnectedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountClientRow.table).field("disconnected_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountClientRow.table).deleteField("disconnected_at").update()
    }
}
