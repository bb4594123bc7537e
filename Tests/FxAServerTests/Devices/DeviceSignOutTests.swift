import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// Signing a device out, from the device API or the attached-clients list:
/// its session ends, so that Firefox hears 401 errno 110 at its next call
/// and, with `/v1/account/status` saying the account exists, asks to sign
/// in again.
@Suite("Device sign-out and attached clients", .serialized)
struct DeviceSignOutTests {
    @Test func destroyingADeviceEndsItsSession() async throws {
        try await withTestServer { server in
            let (uid, first, second, _) = try await server.twoSessions()
            let device = try await server.registerDevice(first)
            let destroyed = try await server.call(.POST, "/v1/account/device/destroy", json: ["id": device], auth: Auth.session(second))
            #expect(destroyed.status == .ok && destroyed.raw == "{}", "\(destroyed.raw)")
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)), .unauthorized, errno: 110)
            let status = try await server.call(.GET, "/v1/account/status?uid=\(uid)")
            #expect(status.json["exists"] as? Bool == true, "an existing account: Firefox says 'sign in again'")
            #expect(try await server.list("/v1/account/devices", session: second).isEmpty)
            expectError(try await server.call(.POST, "/v1/account/device/destroy", json: ["id": device], auth: Auth.session(second)),
                        .badRequest, errno: 123)
            expectError(try await server.call(.POST, "/v1/account/device/destroy", json: ["id": "nope"], auth: Auth.session(second)),
                        .badRequest, errno: 107)
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(second)).status == .ok, "the other stays")
        }
    }

    @Test func anotherAccountsDeviceCannotBeDestroyed() async throws {
        try await withTestServer { server in
            let (mine, _) = try await server.verifiedSession()
            let (theirs, _) = try await server.verifiedSession()
            let device = try await server.registerDevice(theirs)
            expectError(try await server.call(.POST, "/v1/account/device/destroy", json: ["id": device], auth: Auth.session(mine)),
                        .badRequest, errno: 123)
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(theirs)).status == .ok)
        }
    }

    @Test func attachedClientsListDevicesAppsAndSessions() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let device = try await server.registerDevice(first)
            // Firefox's own tokens (fxa-credentials) belong to its device.
            let firefox = FirstPartyClients.firefoxDesktop.id.hex
            let granted = try await server.call(.POST, "/v1/oauth/token", json: [
                "client_id": firefox, "grant_type": "fxa-credentials", "scope": "profile",
            ], auth: Auth.session(first))
            #expect(granted.status == .ok)
            // An RP with a refresh token is listed as itself.
            let rp = try await server.registerClient()
            let code = try await server.code(rp, session: second, ["access_type": "offline"])
            let exchanged = try await server.token([
                "grant_type": "authorization_code", "code": code, "client_id": rp.id, "client_secret": rp.secret!,
            ])
            #expect(exchanged.status == .ok, "\(exchanged.raw)")

            let entries = try await server.list("/v1/account/attached_clients", session: first)
            let devices = entries.filter { $0["deviceId"] as? String != nil }
            #expect(devices.count == 1)
            #expect(devices.first?["deviceId"] as? String == device)
            #expect(devices.first?["isCurrentSession"] as? Bool == true)
            #expect(devices.first?["deviceType"] as? String == "desktop")
            #expect(entries.filter { $0["clientId"] as? String == firefox }.isEmpty, "Firefox's tokens are its device's")
            let app = try #require(entries.first { $0["clientId"] as? String == rp.id })
            #expect(app["refreshTokenId"] as? String != nil && app["name"] as? String == "Test RP")
            // The sessions without a device (the second, and the one the
            // sign-up helper opened to read kB), each with a handle.
            let sessions = entries.filter { $0["deviceId"] is NSNull && $0["clientId"] is NSNull }
            #expect(sessions.count == 2)
            #expect(sessions.allSatisfy { $0["isCurrentSession"] as? Bool == false && $0["scope"] is NSNull })
            for entry in sessions {
                let handle = try #require(entry["sessionTokenId"] as? String)
                let out = try await server.call(.POST, "/v1/account/attached_client/destroy", json: ["sessionTokenId": handle],
                                                auth: Auth.session(first))
                #expect(out.status == .ok, "\(out.raw)")
            }
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(second)), .unauthorized, errno: 110)
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)).status == .ok)

            // And the device by its id, with its session.
            let gone = try await server.call(.POST, "/v1/account/attached_client/destroy", json: ["deviceId": device],
                                             auth: Auth.session(first))
            #expect(gone.status == .ok)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)), .unauthorized, errno: 110)
        }
    }

    @Test func attachedClientDestroyRefusesIncoherentBodies() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            for body in [[:], ["refreshTokenId": String(repeating: "a", count: 64)],
                         ["sessionTokenId": String(repeating: "a", count: 64), "clientId": "0123456789abcdef"]] as [[String: Any]] {
                expectError(try await server.call(.POST, "/v1/account/attached_client/destroy", json: body, auth: Auth.session(session)),
                            .badRequest, errno: 107)
            }
            expectError(try await server.call(.POST, "/v1/account/attached_client/destroy",
                                              json: ["deviceId": DeviceID.random().hex], auth: Auth.session(session)),
                        .badRequest, errno: 123)
        }
    }

    @Test func aPasswordChangeEndsTheOtherDevices() async throws {
        try await withTestServer { server in
            let (_, first, second, user) = try await server.twoSessions()
            _ = try await server.registerDevice(first)
            _ = try await server.registerDevice(second, name: "Other")
            try await server.resetPassword(user, to: TestUser(user.email, password: "a brand new password"))
            let (fresh, _) = try await server.login(TestUser(user.email, password: "a brand new password"))
            let session = try #require(fresh.string("sessionToken"))
            #expect(try await server.list("/v1/account/devices", session: session).isEmpty)
        }
    }
}
