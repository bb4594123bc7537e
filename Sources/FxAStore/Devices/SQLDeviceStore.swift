import FxACore
import Foundation
import SQLKit

/// ``DeviceStore`` on `devices` (``DeviceRow``) and `device_commands`
/// (``DeviceCommandRow``).
///
/// Every read joins the device's session token (`auth_tokens`), so a device
/// whose session ended is never returned, whichever path ended it; the
/// sweep deletes such rows later.
public struct SQLDeviceStore: DeviceStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    /// `devices` with a live session token of the same account, on the
    /// read connections.
    private func liveDevices() throws -> SQLSelectBuilder {
        try database.readSQL().selectRows(DeviceRow.self)
            .join(AuthTokenRow.table, on: SQLRaw("""
                auth_tokens.id_hash = devices.session_id_hash AND auth_tokens.uid = devices.uid \
                AND auth_tokens.kind = '\(FxATokenKind.sessionToken.rawValue)'
                """))
    }

    /// A column of `devices`, named with its table for the joined reads.
    private static func column(_ name: String) -> SQLColumn {
        SQLColumn(name, table: DeviceRow.table)
    }

    public func insert(_ device: DeviceRecord) async throws {
        // The session's earlier device, if its row outlived nothing: a
        // session has one device, and the unique index decides races.
        if try await self.device(sessionIDHash: device.sessionIDHash) != nil { throw FxAStoreError.conflict }
        do {
            try await database.sql().insert(DeviceRow(device))
        } catch {
            if try await self.device(sessionIDHash: device.sessionIDHash) != nil { throw FxAStoreError.conflict }
            throw error
        }
    }

    public func update(_ device: DeviceRecord) async throws -> Bool {
        let row = try DeviceRow(device)
        let updated = try await database.sql().update(DeviceRow.table)
            .set("name", to: row.name)
            .set("type", to: row.type)
            .set("last_access_at", to: row.lastAccessAt)
            .set("push_callback", to: row.pushCallback)
            .set("push_public_key", to: row.pushPublicKey)
            .set("push_auth_key", to: row.pushAuthKey)
            .set("push_endpoint_expired", to: row.pushEndpointExpired)
            .set("available_commands", to: row.availableCommands)
            .where("id", .equal, device.id.bytes)
            .where("uid", .equal, device.uid.hex)
            .where("session_id_hash", .equal, device.sessionIDHash.bytes)
            .returning("id")
            .all()
        return !updated.isEmpty
    }

    public func device(sessionIDHash: TokenHash) async throws -> DeviceRecord? {
        try await liveDevices()
            .where(Self.column("session_id_hash"), .equal, SQLBind(sessionIDHash.bytes))
            .row(DeviceRow.self)?.record
    }

    public func device(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord? {
        try await liveDevices()
            .where(Self.column("id"), .equal, SQLBind(id.bytes))
            .where(Self.column("uid"), .equal, SQLBind(uid.hex))
            .row(DeviceRow.self)?.record
    }

    public func devices(uid: AccountUID) async throws -> [DeviceRecord] {
        try await liveDevices()
            .where(Self.column("uid"), .equal, SQLBind(uid.hex))
            .orderBy(Self.column("created_at"))
            .orderBy(Self.column("id"))
            .rows(DeviceRow.self)
            .compactMap(\.record)
    }

    public func markPushEndpointExpired(uid: AccountUID, id: DeviceID) async throws {
        try await database.sql().update(DeviceRow.table)
            .set("push_endpoint_expired", to: true)
            .where("id", .equal, id.bytes)
            .where("uid", .equal, uid.hex)
            .run()
    }

    public func touch(uid: AccountUID, id: DeviceID, at date: Date) async throws {
        try await database.sql().update(DeviceRow.table)
            .set("last_access_at", to: date)
            .where("id", .equal, id.bytes)
            .where("uid", .equal, uid.hex)
            .run()
    }

    public func delete(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord? {
        guard let device = try await device(uid: uid, id: id) else { return nil }
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            try await sql.delete(from: DeviceCommandRow.table)
                .where("device_id", .equal, id.bytes).where("uid", .equal, uid.hex).run()
            try await sql.delete(from: DeviceRow.table).where("id", .equal, id.bytes).where("uid", .equal, uid.hex).run()
            // Its session, and the key-fetch and other tokens made under it.
            try await sql.raw("""
                DELETE FROM auth_tokens WHERE uid = \(bind: uid.hex) \
                AND (id_hash = \(bind: device.sessionIDHash.bytes) OR parent_id_hash = \(bind: device.sessionIDHash.bytes))
                """).run()
            try await SessionEndingSQL.deleteMintedTokens(session: device.sessionIDHash, on: sql)
        }
        return device
    }

    public func pendingCommandCount(uid: AccountUID, target: DeviceID, now: Date) async throws -> Int {
        let row = try await database.readSQL().select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(DeviceCommandRow.table)
            .where("device_id", .equal, target.bytes)
            .where("uid", .equal, uid.hex)
            .where("expires_at", .greaterThan, now)
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    public func enqueue(_ command: DeviceCommand) async throws -> Int64 {
        let row = try await database.sql().raw(DeviceCommandRow(command).insertStatement() + " RETURNING idx").first()
        guard let row else { throw FxAStoreError.notFound }
        return try row.decode(column: "idx", as: Int64.self)
    }

    public func commands(uid: AccountUID, target: DeviceID, from index: Int64, limit: Int, now: Date) async throws
        -> (commands: [DeviceCommand], last: Bool) {
        // One more than asked for says whether more come after.
        let rows = try await database.readSQL().selectRows(DeviceCommandRow.self)
            .where("device_id", .equal, target.bytes)
            .where("uid", .equal, uid.hex)
            .where("idx", .greaterThanOrEqual, index)
            .where("expires_at", .greaterThan, now)
            .orderBy("idx")
            .limit(limit + 1)
            .rows(DeviceCommandRow.self)
        return (rows.prefix(limit).compactMap(\.record), rows.count <= limit)
    }

    public func sweep(now: Date) async throws -> Int {
        try await database.transaction { sql in
            let devices = try await sql.raw("""
                DELETE FROM devices WHERE NOT EXISTS (SELECT 1 FROM auth_tokens t WHERE t.id_hash = devices.session_id_hash \
                AND t.uid = devices.uid) RETURNING id
                """).all()
            let commands = try await sql.raw("""
                DELETE FROM device_commands WHERE expires_at <= \(bind: now) \
                OR NOT EXISTS (SELECT 1 FROM devices WHERE devices.id = device_commands.device_id) RETURNING idx
                """).all()
            return devices.count + commands.count
        }
    }
}
