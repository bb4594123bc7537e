import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``DeviceStore`` in plain SQL on `devices` and `device_commands`.
///
/// Every read joins the device's session token (`auth_tokens`), so a device
/// whose session ended is never returned, whichever path ended it; the
/// sweep deletes such rows later.
public struct FluentDeviceStore: DeviceStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    private static let columns = """
        d.id, d.uid, d.session_id_hash, d.name, d.type, d.created_at, d.last_access_at, d.push_callback, \
        d.push_public_key, d.push_auth_key, d.push_endpoint_expired, d.available_commands
        """

    /// `devices d` with a live session token of the same account.
    private static let liveDevices = """
        devices d JOIN auth_tokens t ON t.id_hash = d.session_id_hash AND t.uid = d.uid AND t.kind = 'sessionToken'
        """

    public func insert(_ device: DeviceRecord) async throws {
        let sql = try database.sql()
        // The session's earlier device, if its row outlived nothing: a
        // session has one device, and the unique index decides races.
        if try await self.device(sessionIDHash: device.sessionIDHash) != nil { throw FxAStoreError.conflict }
        do {
            try await sql.raw("""
                INSERT INTO devices (id, uid, session_id_hash, name, type, created_at, last_access_at, push_callback, \
                push_public_key, push_auth_key, push_endpoint_expired, available_commands) VALUES (\
                \(bind: device.id.bytes), \(bind: device.uid.hex), \(bind: device.sessionIDHash), \(bind: device.name), \
                \(bind: device.type), \(bind: device.createdAt), \(bind: device.lastAccessAt), \(bind: device.pushCallback), \
                \(bind: device.pushPublicKey), \(bind: device.pushAuthKey), \(bind: device.pushEndpointExpired), \
                \(bind: try Self.encode(device.availableCommands)))
                """).run()
        } catch {
            if try await self.device(sessionIDHash: device.sessionIDHash) != nil { throw FxAStoreError.conflict }
            throw error
        }
    }

    public func update(_ device: DeviceRecord) async throws -> Bool {
        let rows = try await database.sql().raw("""
            UPDATE devices SET name = \(bind: device.name), type = \(bind: device.type), \
            last_access_at = \(bind: device.lastAccessAt), push_callback = \(bind: device.pushCallback), \
            push_public_key = \(bind: device.pushPublicKey), push_auth_key = \(bind: device.pushAuthKey), \
            push_endpoint_expired = \(bind: device.pushEndpointExpired), \
            available_commands = \(bind: try Self.encode(device.availableCommands)) \
            WHERE id = \(bind: device.id.bytes) AND uid = \(bind: device.uid.hex) \
            AND session_id_hash = \(bind: device.sessionIDHash) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func device(sessionIDHash: Data) async throws -> DeviceRecord? {
        try await database.readSQL().raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.liveDevices) WHERE d.session_id_hash = \(bind: sessionIDHash)
            """).first().map(Self.record)
    }

    public func device(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord? {
        try await database.readSQL().raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.liveDevices) \
            WHERE d.id = \(bind: id.bytes) AND d.uid = \(bind: uid.hex)
            """).first().map(Self.record)
    }

    public func devices(uid: AccountUID) async throws -> [DeviceRecord] {
        try await database.readSQL().raw("""
            SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.liveDevices) WHERE d.uid = \(bind: uid.hex) \
            ORDER BY d.created_at, d.id
            """).all().map(Self.record)
    }

    public func markPushEndpointExpired(uid: AccountUID, id: DeviceID) async throws {
        try await database.sql().raw("""
            UPDATE devices SET push_endpoint_expired = \(bind: true) WHERE id = \(bind: id.bytes) AND uid = \(bind: uid.hex)
            """).run()
    }

    public func touch(uid: AccountUID, id: DeviceID, at date: Date) async throws {
        try await database.sql().raw("""
            UPDATE devices SET last_access_at = \(bind: date) WHERE id = \(bind: id.bytes) AND uid = \(bind: uid.hex)
            """).run()
    }

    public func delete(uid: AccountUID, id: DeviceID) async throws -> DeviceRecord? {
        guard let device = try await device(uid: uid, id: id) else { return nil }
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            try await sql.raw("DELETE FROM device_commands WHERE device_id = \(bind: id.bytes) AND uid = \(bind: uid.hex)").run()
            try await sql.raw("DELETE FROM devices WHERE id = \(bind: id.bytes) AND uid = \(bind: uid.hex)").run()
            // Its session, and the key-fetch and other tokens made under it.
            try await sql.raw("""
                DELETE FROM auth_tokens WHERE uid = \(bind: uid.hex) \
                AND (id_hash = \(bind: device.sessionIDHash) OR parent_id_hash = \(bind: device.sessionIDHash))
                """).run()
            try await SessionEndingSQL.deleteMintedTokens(session: device.sessionIDHash, on: sql)
        }
        return device
    }

    public func pendingCommandCount(uid: AccountUID, target: DeviceID, now: Date) async throws -> Int {
        let row = try await database.readSQL().raw("""
            SELECT COUNT(*) AS n FROM device_commands WHERE device_id = \(bind: target.bytes) AND uid = \(bind: uid.hex) \
            AND expires_at > \(bind: now)
            """).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    public func enqueue(_ command: DeviceCommand) async throws -> Int64 {
        let row = try await database.sql().raw("""
            INSERT INTO device_commands (uid, device_id, command, payload, sender, created_at, expires_at) VALUES (\
            \(bind: command.uid.hex), \(bind: command.target.bytes), \(bind: command.command), \(bind: command.payload), \
            \(bind: command.sender?.bytes), \(bind: command.createdAt), \(bind: command.expiresAt)) RETURNING idx
            """).first()
        guard let row else { throw FxAStoreError.notFound }
        return try row.decode(column: "idx", as: Int64.self)
    }

    public func commands(uid: AccountUID, target: DeviceID, from index: Int64, limit: Int, now: Date) async throws
        -> (commands: [DeviceCommand], last: Bool) {
        // One more than asked for says whether more come after.
        let rows = try await database.readSQL().raw("""
            SELECT idx, command, payload, sender, created_at, expires_at FROM device_commands \
            WHERE device_id = \(bind: target.bytes) AND uid = \(bind: uid.hex) AND idx >= \(bind: index) \
            AND expires_at > \(bind: now) ORDER BY idx LIMIT \(bind: limit + 1)
            """).all()
        let commands = try rows.prefix(limit).map { row in
            DeviceCommand(
                index: try row.decode(column: "idx", as: Int64.self), uid: uid, target: target,
                command: try row.decode(column: "command", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                sender: try row.decode(column: "sender", as: Data?.self).flatMap { DeviceID(bytes: $0) },
                createdAt: try row.decode(column: "created_at", as: Date.self),
                expiresAt: try row.decode(column: "expires_at", as: Date.self))
        }
        return (commands, rows.count <= limit)
    }

    public func sweep(now: Date) async throws -> Int {
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
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

    private static func record(_ row: any SQLRow) throws -> DeviceRecord {
        let commandsText = try row.decode(column: "available_commands", as: String.self)
        let commands = (try? JSONDecoder().decode([String: String].self, from: Data(commandsText.utf8))) ?? [:]
        guard let id = DeviceID(bytes: try row.decode(column: "id", as: Data.self)),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self))
        else { throw FxAStoreError.notFound }
        return DeviceRecord(
            id: id, uid: uid, sessionIDHash: try row.decode(column: "session_id_hash", as: Data.self),
            name: try row.decode(column: "name", as: String?.self), type: try row.decode(column: "type", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            lastAccessAt: try row.decode(column: "last_access_at", as: Date.self),
            pushCallback: try row.decode(column: "push_callback", as: String?.self),
            pushPublicKey: try row.decode(column: "push_public_key", as: String?.self),
            pushAuthKey: try row.decode(column: "push_auth_key", as: String?.self),
            pushEndpointExpired: try row.decode(column: "push_endpoint_expired", as: Bool.self),
            availableCommands: commands)
    }

    private static func encode(_ commands: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(commands), as: UTF8.self)
    }
}
