import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// `POST /v1/account/device` and `GET /v1/account/devices` as Firefox uses
/// them after signing in (FIREFOX.md §4), with FxA's errnos for bad input.
@Suite("Device registration", .serialized)
struct DeviceRegistrationTests {
    @Test func firefoxRegistersThenUpdatesItsDevice() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            // First without commands (push off), as Firefox does.
            let first = try await server.call(.POST, "/v1/account/device", json: [
                "name": "Firefox on Linux", "type": "desktop", "availableCommands": [:] as [String: String],
            ], auth: Auth.session(session))
            #expect(first.status == .ok, "\(first.raw)")
            let id = try #require(first.string("id"))
            #expect(DeviceID(hex: id) != nil)
            #expect(first.string("name") == "Firefox on Linux" && first.string("type") == "desktop")
            #expect(first.json["pushEndpointExpired"] as? Bool == false)

            // Then with its id and Send Tab's keys.
            let update = try await server.call(.POST, "/v1/account/device", json: [
                "id": id, "name": "Firefox on Linux", "availableCommands": [openURICommand: #"{"kid":"1"}"#],
            ], auth: Auth.session(session))
            #expect(update.status == .ok, "\(update.raw)")
            #expect(update.string("id") == id)
            #expect((update.json["availableCommands"] as? [String: String])?[openURICommand] == #"{"kid":"1"}"#)

            // Without an id, the session's device is updated, never doubled.
            let again = try await server.call(.POST, "/v1/account/device", json: ["name": "Renamed"], auth: Auth.session(session))
            #expect(again.string("id") == id && again.string("name") == "Renamed")

            let devices = try await server.list("/v1/account/devices", session: session)
            #expect(devices.count == 1)
            let device = try #require(devices.first)
            #expect(device["id"] as? String == id)
            #expect(device["isCurrentDevice"] as? Bool == true)
            #expect(device["name"] as? String == "Renamed" && device["type"] as? String == "desktop")
            #expect(device["lastAccessTime"] as? Int ?? 0 > 0)
            #expect((device["availableCommands"] as? [String: String])?[openURICommand] != nil, "kept by the rename")
            #expect(device["pushCallback"] is NSNull && device["pushEndpointExpired"] as? Bool == false)
        }
    }

    @Test func aPushSubscriptionIsStoredWhenItIsMozillasPushService() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let registered = try await server.call(.POST, "/v1/account/device", json: [
                "name": "Firefox", "type": "desktop", "pushCallback": "https://updates.push.services.mozilla.com/wpush/v2/abc",
                "pushPublicKey": samplePushPublicKey, "pushAuthKey": samplePushAuthKey,
            ], auth: Auth.session(session))
            #expect(registered.status == .ok, "\(registered.raw)")
            let device = try #require(try await server.list("/v1/account/devices", session: session).first)
            #expect(device["pushCallback"] as? String == "https://updates.push.services.mozilla.com/wpush/v2/abc")
            #expect(device["pushPublicKey"] as? String == samplePushPublicKey)
        }
    }

    @Test func badInputGetsFxAsErrnos() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let push: [String: Any] = [
                "pushCallback": "https://updates.push.services.mozilla.com/wpush/v2/abc",
                "pushPublicKey": samplePushPublicKey, "pushAuthKey": samplePushAuthKey,
            ]
            let invalid: [[String: Any]] = [
                ["name": "bad\u{0}name"],
                ["name": String(repeating: "n", count: 256)],
                ["name": "private\u{E000}use"],
                ["type": "a-type-of-seventeen"],
                ["id": "not-hex"],
                ["availableCommands": ["bad command": "{}"]],
                ["availableCommands": [openURICommand: String(repeating: "x", count: 2049)]],
                ["capabilities": ["messages"]],
                push.merging(["pushCallback": "https://attacker.example/collect"]) { $1 },
                push.merging(["pushCallback": "http://updates.push.services.mozilla.com/x"]) { $1 },
                push.merging(["pushPublicKey": "AAAA"]) { $1 },
                push.merging(["pushAuthKey": "c2hvcnQ"]) { $1 },
                ["pushCallback": push["pushCallback"]!],
                ["pushCallback": push["pushCallback"]!, "pushPublicKey": samplePushPublicKey],
            ]
            for body in invalid {
                expectError(try await server.call(.POST, "/v1/account/device", json: body, auth: Auth.session(session)),
                            .badRequest, errno: 107)
            }
            #expect(try await server.list("/v1/account/devices", session: session).isEmpty, "nothing stored")
            expectError(try await server.call(.POST, "/v1/account/device", json: ["name": "x"]), .unauthorized, errno: 110)
            expectError(try await server.call(.GET, "/v1/account/devices?filterIdleDevicesTimestamp=soon", auth: Auth.session(session)),
                        .badRequest, errno: 107)
        }
    }

    @Test func anotherSessionsDeviceIsNeitherUpdatedNorTakenOver() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let firstDevice = try await server.registerDevice(first)
            // A session with no device naming another's: unknown (123), so
            // Firefox forgets the id and registers afresh.
            expectError(try await server.call(.POST, "/v1/account/device", json: ["id": firstDevice, "name": "Mine now"],
                                              auth: Auth.session(second)), .badRequest, errno: 123)
            let secondDevice = try await server.registerDevice(second, name: "Other Firefox")
            // With a device of its own: the conflict names it (124).
            let conflict = try await server.call(.POST, "/v1/account/device", json: ["id": firstDevice, "name": "x"],
                                                 auth: Auth.session(second))
            expectError(conflict, .badRequest, errno: 124)
            #expect(conflict.string("deviceId") == secondDevice)
            expectError(try await server.call(.POST, "/v1/account/device", json: ["id": DeviceID.random().hex, "name": "x"],
                                              auth: Auth.session(first)), .badRequest, errno: 124)

            let devices = try await server.list("/v1/account/devices", session: first)
            #expect(devices.count == 2)
            #expect(devices.first { $0["id"] as? String == firstDevice }?["name"] as? String == "Firefox on Linux")
            #expect(devices.filter { $0["isCurrentDevice"] as? Bool == true }.map { $0["id"] as? String } == [firstDevice])
        }
    }

    @Test func idleDevicesAreFilteredByTheTimestampFirefoxSends() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            _ = try await server.registerDevice(session)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(try await server.list("/v1/account/devices?filterIdleDevicesTimestamp=\(now - 21 * 86_400_000)", session: session).count == 1)
            #expect(try await server.list("/v1/account/devices?filterIdleDevicesTimestamp=\(now + 60_000)", session: session).isEmpty)
        }
    }
}
