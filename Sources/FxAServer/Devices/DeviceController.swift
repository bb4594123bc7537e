import FxACore
import Vapor

/// The device API Firefox calls with its session (Hawk or Bearer `fxs_`)
/// right after signing in and from then on: its device record, the
/// account's devices, Send Tab's command queue, push notifications to the
/// other devices, and the attached-clients list of the browser's menu.
///
/// What acts on other devices (signing one out, sending one a command or a
/// push, reading the queue) needs a confirmed session: a password alone,
/// stuck at the sign-in code, must not sign the account's Firefoxes out or
/// receive their tabs. Messages between devices count against the
/// account's limit (``CustomsPolicy/deviceMessagesPerAccount``).
struct DeviceController: RouteCollection {
    let service: DeviceService
    let attached: AttachedClients
    let authenticator: TokenAuthenticator
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("v1", "account")
        account.post("device", use: register)
        account.get("devices", use: list)
        account.post("device", "destroy", use: destroy)
        account.get("device", "commands", use: commands)
        account.post("devices", "invoke_command", use: invokeCommand)
        account.post("devices", "notify", use: notify)
        account.get("attached_clients", use: attachedClients)
        account.post("attached_client", "destroy", use: destroyAttachedClient)
    }

    private func session(_ request: Request) async throws -> AuthenticatedToken {
        try await authenticator.authenticate(request, as: [.sessionToken])
    }

    /// A verified session (``VerifiedSessionRule``: 104, 138, 222): what
    /// acts on the account's devices (sends a tab, signs a device out),
    /// so not a session from before two-step authentication was turned on.
    private func confirmedSession(_ request: Request) async throws -> AuthenticatedToken {
        try await authenticator.authenticateVerifiedSession(request).token
    }

    @Sendable func register(_ request: Request) async throws -> DeviceResponse {
        let session = try await session(request)
        return try await service.register(try request.content.decode(DeviceRegistrationRequest.self).checked(), session: session)
    }

    @Sendable func list(_ request: Request) async throws -> [DeviceResponse] {
        let session = try await session(request)
        return try await service.list(session: session, idleSince: try Self.idleSince(request))
    }

    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        let session = try await confirmedSession(request)
        try await service.destroy(try request.content.decode(DeviceDestroyRequest.self).id, uid: session.uid)
        return EmptyJSON()
    }

    /// `index` and `limit` (0–100, default 100) from the query; anything
    /// else is errno 107 naming it.
    @Sendable func commands(_ request: Request) async throws -> DeviceCommandsResponse {
        let session = try await confirmedSession(request)
        let index = try Self.integer(request, "index", in: 0...Int64.max)
        let limit = try Self.integer(request, "limit", in: 0...100) ?? 100
        return try await service.commands(session: session, index: index, limit: Int(limit))
    }

    @Sendable func invokeCommand(_ request: Request) async throws -> InvokeCommandResponse {
        let session = try await confirmedSession(request)
        let body = try request.content.decode(InvokeCommandRequest.self).checked()
        try await customs.check(.deviceMessage, subject: session.uid.hex, ip: request.clientIP)
        return try await service.invoke(body, session: session)
    }

    /// Checked as FxA checks it, then pushed in the background to the
    /// devices that have a subscription; always `{}`.
    @Sendable func notify(_ request: Request) async throws -> EmptyJSON {
        let session = try await confirmedSession(request)
        let body = try request.content.decode(NotifyDevicesRequest.self).checked()
        try await customs.check(.deviceMessage, subject: session.uid.hex, ip: request.clientIP)
        try await service.notify(body, session: session)
        return EmptyJSON()
    }

    @Sendable func attachedClients(_ request: Request) async throws -> [AttachedClientEntry] {
        let session = try await session(request)
        try await service.touch(session: session, now: service.clock.now())
        return try await attached.list(session: session, idleSince: try Self.idleSince(request))
    }

    /// FxA asks for a confirmed session here (`verifiedSessionToken`).
    @Sendable func destroyAttachedClient(_ request: Request) async throws -> EmptyJSON {
        let session = try await confirmedSession(request)
        try await attached.destroy(try request.content.decode(AttachedClientDestroyRequest.self).checked(), session: session)
        return EmptyJSON()
    }

    private static func idleSince(_ request: Request) throws -> Int64? {
        try integer(request, "filterIdleDevicesTimestamp", in: 0...Int64.max)
    }

    private static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = request.query[String.self, at: name] else { return nil }
        guard text.utf8.count <= 19, text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(text), range.contains(value)
        else { throw FxAError.invalidParameter([name], source: "query") }
        return value
    }
}
