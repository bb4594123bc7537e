import FxACore
import FxAStore
import Foundation

/// The device API's rules, as FxA's auth server has them
/// (`lib/routes/devices-and-sessions.js`, `lib/devices.js`), on a session
/// token: register or update the session's device, list the account's
/// devices, sign one out, and queue commands between them.
///
/// Devices with a push subscription are woken by Web Push (``PushNotifier``)
/// when a tab is sent to them, another device connects or one is signed
/// out; the others find their commands when they poll (Firefox does at
/// start, on sync and when it refreshes its device list).
struct DeviceService: Sendable {
    let devices: any DeviceStore
    let push: PushNotifier
    /// Where commands' `url` points (`/v1/account/device/commands`).
    let publicURL: PublicBaseURL
    let clock: any WallClock

    /// FxA's pushbox keeps a command at most 28 days (`pushbox.maxTTL`).
    static let maximumCommandLifetime: TimeInterval = 28 * 86_400
    /// The most commands that may wait for one device.
    static let maximumQueuedCommands = 500
    /// How long the push service keeps "device connected" and "device
    /// disconnected" for a device that is offline.
    static let accountEventPushLifetime = 5 * 3600
    /// A device's activity is written at most this often.
    static let touchInterval: TimeInterval = 60

    /// Registers the session's device, or updates it: with an `id` that is
    /// the session's device, or with none when the session already has one
    /// (FxA keeps that id). Another session's device is errno 123, never
    /// taken over; a registration that loses a race to another is 124.
    func register(_ body: DeviceRegistrationRequest, session: AuthenticatedToken) async throws -> DeviceResponse {
        if let callback = body.pushCallback?.value, !push.policy.allows(callback) {
            throw FxAError.invalidParameter(["pushCallback"])
        }
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
            // The account's other devices hear of it (FxA: only for a
            // confirmed session).
            if session.stored.verified {
                let others = try await devices.devices(uid: session.uid).filter { $0.id != device.id }
                push.push(PushPayload.deviceConnected(name: device.name ?? ""), to: others, ttl: Self.accountEventPushLifetime)
            }
            return DeviceResponse.registered(device, created: true)
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
        return DeviceResponse.registered(device, created: false)
    }

    /// The account's devices, the caller's marked; those idle since
    /// `idleSince` (ms, exclusive) left out, as Firefox asks for 21 days.
    func list(session: AuthenticatedToken, idleSince: Int64?) async throws -> [DeviceResponse] {
        let now = clock.now()
        try await touch(session: session, now: now)
        return try await devices.devices(uid: session.uid)
            .filter { idleSince == nil || $0.lastAccessAt.millisecondsSince1970 > idleSince! }
            .map { DeviceResponse.listed($0, current: $0.sessionIDHash == session.idHash, now: now) }
    }

    /// Signs a device out: the device, its session, the tokens under that
    /// session and its queued commands. The device notices at its next
    /// request (401 errno 110, then `/v1/account/status`).
    func destroy(_ id: DeviceID, uid: AccountUID) async throws {
        let before = try await devices.devices(uid: uid)
        guard try await devices.delete(uid: uid, id: id) != nil else { throw FxAError.unknownDevice() }
        // Every device hears, the signed-out one too (as FxA does).
        push.push(PushPayload.deviceDisconnected(id), to: before, ttl: Self.accountEventPushLifetime)
    }

    /// Queues `body.command` for `body.target`, which must be one of the
    /// account's devices that accepts it (123, 157).
    func invoke(_ body: InvokeCommandRequest, session: AuthenticatedToken) async throws -> InvokeCommandResponse {
        guard let target = try await devices.device(uid: session.uid, id: body.target) else { throw FxAError.unknownDevice() }
        guard target.availableCommands[body.command] != nil else { throw FxAError.unavailableDeviceCommand() }
        let payload = String(decoding: try JSONEncoder().encode(body.payload), as: UTF8.self)
        guard payload.utf8.count <= 65_536 else { throw FxAError.invalidParameter(["payload"]) }
        let now = clock.now()
        guard try await devices.pendingCommandCount(uid: session.uid, target: target.id, now: now) < Self.maximumQueuedCommands
        else { throw FxAError.deviceQueueFull() }
        let lifetime = min(TimeInterval(body.ttl ?? Int(Self.maximumCommandLifetime)), Self.maximumCommandLifetime)
        let sender = try await devices.device(sessionIDHash: session.idHash)
        let index = try await devices.enqueue(DeviceCommand(
            uid: session.uid, target: target.id, command: body.command, payload: payload, sender: sender?.id,
            createdAt: now, expiresAt: now.addingTimeInterval(lifetime)))
        // Wake the target; the push goes in the background, so `notified`
        // says it was sent off, not that it arrived.
        if let skipped = push.reachability(of: target) {
            return InvokeCommandResponse(enqueued: true, notified: false, notifyError: skipped.rawValue)
        }
        let url = publicURL.appending("/v1/account/device/commands") + "?index=\(index)&limit=1"
        push.push(
            PushPayload.commandReceived(command: body.command, index: index, sender: sender?.id, url: url), to: [target],
            ttl: Int(lifetime))
        return InvokeCommandResponse(enqueued: true, notified: true, notifyError: nil)
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

    /// `POST /v1/account/devices/notify`: `payload` to the account's
    /// devices (`all` minus `excluded`, or those named) that can be pushed to.
    func notify(_ body: NotifyDevicesRequest, session: AuthenticatedToken) async throws {
        let all = try await devices.devices(uid: session.uid)
        let targets: [DeviceRecord]
        switch body.to {
        case .all:
            let excluded = Set(body.excluded ?? [])
            targets = all.filter { !excluded.contains($0.id) }
        case .devices(let ids):
            let named = Set(ids)
            targets = all.filter { named.contains($0.id) }
        }
        push.push(body.payload, to: targets, ttl: body.TTL ?? 0)
    }
}
