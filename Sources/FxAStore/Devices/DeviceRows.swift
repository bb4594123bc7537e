import FxACore
import Foundation

/// A row of `devices`: a device registered on one session (``DeviceRecord``).
struct DeviceRow: TableRow {
    static let table = "devices"

    var id: Data
    var uid: String
    var sessionIDHash: Data
    var name: String?
    var type: String?
    var createdAt: Date
    var lastAccessAt: Date
    var pushCallback: String?
    var pushPublicKey: String?
    var pushAuthKey: String?
    var pushEndpointExpired: Bool
    /// The command map as JSON with sorted keys.
    var availableCommands: String

    init(_ device: DeviceRecord) throws {
        id = device.id.bytes
        uid = device.uid.hex
        sessionIDHash = device.sessionIDHash.bytes
        name = device.name
        type = device.type
        createdAt = device.createdAt
        lastAccessAt = device.lastAccessAt
        pushCallback = device.pushCallback
        pushPublicKey = device.pushPublicKey
        pushAuthKey = device.pushAuthKey
        pushEndpointExpired = device.pushEndpointExpired
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        availableCommands = String(decoding: try encoder.encode(device.availableCommands), as: UTF8.self)
    }

    /// The stored device; `nil` only for a row this code could not have written.
    var record: DeviceRecord? {
        guard let id = DeviceID(bytes: id), let uid = AccountUID(hex: uid), let sessionIDHash = TokenHash(bytes: sessionIDHash)
        else { return nil }
        let commands = (try? JSONDecoder().decode([String: String].self, from: Data(availableCommands.utf8))) ?? [:]
        return DeviceRecord(
            id: id, uid: uid, sessionIDHash: sessionIDHash, name: name, type: type, createdAt: createdAt,
            lastAccessAt: lastAccessAt, pushCallback: pushCallback, pushPublicKey: pushPublicKey, pushAuthKey: pushAuthKey,
            pushEndpointExpired: pushEndpointExpired, availableCommands: commands)
    }
}

/// A row of `device_commands`: one queued command (``DeviceCommand``).
struct DeviceCommandRow: TableRow {
    static let table = "device_commands"

    /// Assigned by the database on insert (`nil` until then): the order of
    /// the queue and the index a device fetches from.
    var idx: Int64?
    var uid: String
    var deviceID: Data
    var command: String
    var payload: String
    var sender: Data?
    var createdAt: Date
    var expiresAt: Date

    init(_ command: DeviceCommand) {
        uid = command.uid.hex
        deviceID = command.target.bytes
        self.command = command.command
        payload = command.payload
        sender = command.sender?.bytes
        createdAt = command.createdAt
        expiresAt = command.expiresAt
    }

    /// The stored command; `nil` only for a row this code could not have written.
    var record: DeviceCommand? {
        guard let idx, let uid = AccountUID(hex: uid), let target = DeviceID(bytes: deviceID) else { return nil }
        return DeviceCommand(
            index: idx, uid: uid, target: target, command: command, payload: payload,
            sender: sender.flatMap { DeviceID(bytes: $0) }, createdAt: createdAt, expiresAt: expiresAt)
    }
}
