import FluentKit
import SQLKit

/// Creates `devices` (one per session at most: the unique index on
/// `session_id_hash` is what makes a second registration a conflict) and
/// `device_commands`, the queue of commands waiting for their device.
struct CreateDevices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DeviceRow.table)
            .field("id", .data, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("session_id_hash", .data, .required)
            .field("name", .string)
            .field("type", .string)
            .field("created_at", .datetime, .required)
            .field("last_access_at", .datetime, .required)
            .field("push_callback", .string)
            .field("push_public_key", .string)
            .field("push_auth_key", .string)
            .field("push_endpoint_expired", .bool, .required)
            .field("available_commands", .string, .required)
            .unique(on: "session_id_hash")
            .create()
        try await database.schema(DeviceCommandRow.table)
            .field("idx", .int64, .identifier(auto: true))
            .field("uid", .string, .required)
            .field("device_id", .data, .required)
            .field("command", .string, .required)
            .field("payload", .string, .required)
            .field("sender", .data)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "devices_uid").on("devices").column("uid").run()
        try await sql.create(index: "device_commands_device").on("device_commands").column("device_id").column("idx").run()
        try await sql.create(index: "device_commands_expiry").on("device_commands").column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DeviceCommandRow.table).delete()
        try await database.schema(DeviceRow.table).delete()
    }
}
