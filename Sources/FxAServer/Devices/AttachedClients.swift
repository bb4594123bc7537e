import FxACore
import FxAStore
import Foundation

/// `GET /v1/account/attached_clients` and `POST …/attached_client/destroy`:
/// everything signed in to the account in one list, as FxA's
/// `attached-clients.js` merges it. First the devices (each with its
/// session), then the OAuth clients holding tokens, then the sessions
/// without a device (PyFxA scripts, the server's own pages).
///
/// Firefox's own OAuth tokens (the `fxa-credentials` grant of a built-in
/// client, with no refresh token) are not listed apart: the device they
/// belong to stands for them, as FxA leaves out `canGrant` clients' access tokens.
struct AttachedClients: Sendable {
    /// Devices are signed out through the service, which tells the others.
    let devices: DeviceService
    let tokens: any TokenStore
    let authorizedClients: AuthorizedClients
    let clock: any WallClock

    func list(session: AuthenticatedToken, idleSince: Int64?) async throws -> [AttachedClientEntry] {
        let now = clock.now()
        func entry(
            clientID: String? = nil, device: DeviceRecord? = nil, sessionIDHash: TokenHash? = nil, refreshTokenID: String? = nil,
            name: String?, type: String?, created: Date, lastAccess: Date, scope: [String]? = nil
        ) -> AttachedClientEntry {
            AttachedClientEntry(
                clientId: clientID, deviceId: device?.id.hex, sessionTokenId: sessionIDHash?.hex,
                refreshTokenId: refreshTokenID, isCurrentSession: sessionIDHash == session.idHash, deviceType: type,
                name: name, createdTime: created.millisecondsSince1970,
                createdTimeFormatted: RelativeTime.describe(created, now: now),
                lastAccessTime: lastAccess.millisecondsSince1970,
                lastAccessTimeFormatted: RelativeTime.describe(lastAccess, now: now), scope: scope, location: [:],
                userAgent: "", os: nil)
        }
        var entries: [AttachedClientEntry] = []
        let accountDevices = try await devices.devices.devices(uid: session.uid)
        for device in accountDevices where idleSince.map({ device.lastAccessAt.millisecondsSince1970 > $0 }) ?? true {
            entries.append(entry(
                device: device, sessionIDHash: device.sessionIDHash, name: device.name ?? "", type: device.type ?? "desktop",
                created: device.createdAt, lastAccess: device.lastAccessAt))
        }
        for client in try await authorizedClients.list(uid: session.uid) {
            if client.belongsToFirefoxDevice { continue }
            entries.append(entry(
                clientID: client.client_id, refreshTokenID: client.refresh_token_id, name: client.client_name, type: nil,
                created: Date(timeIntervalSince1970: TimeInterval(client.created_time) / 1000),
                lastAccess: Date(timeIntervalSince1970: TimeInterval(client.last_access_time) / 1000), scope: client.scope))
        }
        let withDevice = Set(accountDevices.map(\.sessionIDHash))
        for token in try await tokens.tokens(uid: session.uid, kinds: [.sessionToken]) where !withDevice.contains(token.idHash) {
            entries.append(entry(sessionIDHash: token.idHash, name: nil, type: nil, created: token.createdAt, lastAccess: token.createdAt))
        }
        return entries
    }

    /// Signs out what one entry names: a device (with its session), a
    /// session, or an OAuth client's tokens (one refresh token, or all).
    func destroy(_ body: AttachedClientDestroyRequest, session: AuthenticatedToken) async throws {
        let uid = session.uid
        if let deviceID = body.deviceId {
            guard let device = try await devices.devices.device(uid: uid, id: deviceID) else { throw FxAError.unknownDevice() }
            if let sessionID = body.sessionTokenId, sessionID != device.sessionIDHash {
                throw FxAError.invalidParameter(["sessionTokenId"])
            }
            try await devices.destroy(deviceID, uid: uid)
        } else if let sessionID = body.sessionTokenId {
            // The handle is the session's id hash; only this account's sessions.
            if let device = try await devices.devices.device(sessionIDHash: sessionID), device.uid == uid {
                try await devices.destroy(device.id, uid: uid)
            } else if let token = try await tokens.token(idHash: sessionID), token.uid == uid, token.kind == .sessionToken {
                try await tokens.delete(idHash: token.idHash)
            }
        }
        if let clientID = body.clientId {
            try await authorizedClients.destroy(
                uid: uid, DestroyAuthorizedClientRequest(client_id: clientID.hex, refresh_token_id: body.refreshTokenId?.hex))
        }
    }
}
