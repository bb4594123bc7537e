import FxACore
import FxAStore
import Foundation

/// The device API's rules, as FxA's auth server has them
/// (`lib/routes/devices-and-sessions.js`, `lib/devices.js`), on a session
/// token: register or update the session's device, list the account's
/// devices, sign one out, and queue commands between them.
///
/// No Web Push is sent yet: a device with a push subscription is stored
/// with it, and fetches its commands when it polls (Firefox does at start,
/// on sync and after registering), so Send Tab arrives without push, later.
struct DeviceService: Sendable {
    let devices: any DeviceStore
    let clock: any WallClock

    /// FxA's pushbox keeps a command at most 28 days (`pushbox.maxTTL`).
    static let maximumCommandLifetime: TimeInterval = 28 * 86_400
    /// A device's activity is written at most this often.
    static let touchInterval: TimeInterval = 60

    /// Registers the session's device, or updates it: with an `id` that is
    /// the session's device, or with none when the session already has one
    /// (FxA keeps that id). Another session's device is errno 123, never
    /// taken over; a registration that loses a race to another is 124.
    func register(_ body: DeviceRegistrationRequest, session: AuthenticatedToken) async throws -> DeviceResponse {
        let now = clock.now()
        let own = try await devices.device(sessionIDHash: session.idHash)
        guard let id = body.id ?? own?.id else {
            let device = DeviceRecord(
                id: .random(), uid: session.uid, sessionIDHash: session.idHash, name: body.name?.value ?? "",
                type: body.type?.value ?? "desktop", createdAt: now, lastAccessAt: now,
                pushCallback: body.pushCallback?.value, pushPublicKey: body.pushPublicKey?.value,
                pushAuthKey: body.pushAuthKey?.value, pushEndpointExpired: false,
                availableCommands: body.availableCommands?.value ?? [:])
            do {
                try await devices.insert(device)
            } catch FxAStoreError.conflict {
                if let winner = try await devices.device(sessionIDHash: session.idHash) { throw FxAError.deviceSessionConflict(winner.id) }
                throw FxAError.unknownDevice()
            }
            return DeviceResponse(device, created: true)
        }
        guard var device = own, device.id == id else {
            if let own { throw FxAError.deviceSessionConflict(own.id) }
            throw FxAError.unknownDevice()
        }
        if let name = body.name { device.name = name.value }
        if let type = body.type { device.type = type.value }
        if let commands = body.availableCommands { device.availableCommands = commands.value }
        if let callback = body.pushCallback {
            // A new endpoint is a fresh subscription: no longer expired.
            if callback.value != device.pushCallback { device.pushEndpointExpired = false }
            device.pushCallback = callback.value
            device.pushPublicKey = body.pushPublicKey?.value
            device.pushAuthKey = body.pushAuthKey?.value
        }
        device.lastAccessAt = now
        guard try await devices.update(device) else { throw FxAError.unknownDevice() }
        return DeviceResponse(device, created: false)
    }

    /// The account's devices, the caller's marked; those idle since
    /// `idleSince` (ms, exclusive) left out, as Firefox asks for 21 days.
    func list(session: AuthenticatedToken, idleSince: Int64?) async throws -> [DeviceListEntry] {
        let now = clock.now()
        try await touch(session: session, now: now)
        return try await devices.devices(uid: session.uid)
            .filter { idleSince == nil || Milliseconds.since1970($0.lastAccessAt) > idleSince! }
            .map { DeviceListEntry($0, current: $0.sessionIDHash == session.idHash, now: now) }
    }

    /// Signs a device out: the device, its session, the tokens under that
    /// session and its queued commands. The device notices at its next
    /// request (401 errno 110, then `/v1/account/status`).
    func destroy(_ id: DeviceID, uid: AccountUID) async throws {
        guard try await devices.delete(uid: uid, id: id) != nil else { throw FxAError.unknownDevice() }
    }

    /// Queues `body.command` for `body.target`, which must be one of the
    /// account's devices that accepts it (123, 157).
    func invoke(_ body: InvokeCommandRequest, session: AuthenticatedToken) async throws -> InvokeCommandResponse {
        guard let target = try await devices.device(uid: session.uid, id: body.target) else { throw FxAError.unknownDevice() }
        guard target.availableCommands[body.command] != nil else { throw FxAError.unavailableDeviceCommand() }
        let payload = String(decoding: try JSONEncoder().encode(body.payload), as: UTF8.self)
        guard payload.utf8.count <= 65_536 else { throw FxAError.invalidParameter(["payload"]) }
        let now = clock.now()
        let lifetime = min(TimeInterval(body.ttl ?? Int(Self.maximumCommandLifetime)), Self.maximumCommandLifetime)
        let sender = try await devices.device(sessionIDHash: session.idHash)
        _ = try await devices.enqueue(DeviceCommand(
            uid: session.uid, target: target.id, command: body.command, payload: payload, sender: sender?.id,
            createdAt: now, expiresAt: now.addingTimeInterval(lifetime)))
        return InvokeCommandResponse(enqueued: true, notified: false, notifyError: target.pushCallback == nil ? "noCallback" : "pushUnavailable")
    }

    /// The caller's queued commands from `index` on (0 or absent: from the
    /// start), at most `limit`. A session without a device has no queue (123).
    func commands(session: AuthenticatedToken, index: Int64?, limit: Int) async throws -> DeviceCommandsResponse {
        let now = clock.now()
        guard let device = try await devices.device(sessionIDHash: session.idHash) else { throw FxAError.unknownDevice() }
        try await touch(device, now: now)
        let page = try await devices.commands(uid: session.uid, target: device.id, from: index ?? 0, limit: limit, now: now)
        let messages = page.commands.map { command in
            DeviceCommandsResponse.Message(index: command.index, data: .init(
                command: command.command,
                payload: (try? JSONDecoder().decode(JSONValue.self, from: Data(command.payload.utf8))) ?? .object([:]),
                sender: command.sender?.hex))
        }
        return DeviceCommandsResponse(index: messages.last?.index ?? 0, last: page.last, messages: messages)
    }

    /// Notes the session's device as active (at most once a minute).
    func touch(session: AuthenticatedToken, now: Date) async throws {
        guard let device = try await devices.device(sessionIDHash: session.idHash) else { return }
        try await touch(device, now: now)
    }

    private func touch(_ device: DeviceRecord, now: Date) async throws {
        guard now.timeIntervalSince(device.lastAccessAt) >= Self.touchInterval else { return }
        try await devices.touch(uid: device.uid, id: device.id, at: now)
    }
}
