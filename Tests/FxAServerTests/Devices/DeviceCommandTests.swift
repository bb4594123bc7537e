import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Send Tab through the command queue, with no push service: one device
/// invokes `open-uri` on another, which finds it when it polls.
@Suite("Device commands", .serialized)
struct DeviceCommandTests {
    @Test func aTabSentFromOneDeviceArrivesInTheOthersQueue() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let receiver = try await server.registerDevice(first)
            let sender = try await server.registerDevice(second, name: "Laptop")
            let payload: [String: Any] = ["encrypted": "b64-ciphertext"]
            let sent = try await server.call(.POST, "/v1/account/devices/invoke_command", json: [
                "target": receiver, "command": openURICommand, "payload": payload, "ttl": 2_592_000,
            ], auth: Auth.session(second))
            #expect(sent.status == .ok, "\(sent.raw)")
            #expect(sent.json["enqueued"] as? Bool == true)
            #expect(sent.json["notified"] as? Bool == false && sent.string("notifyError") == "noCallback")

            let polled = try await server.call(.GET, "/v1/account/device/commands?index=0&limit=100", auth: Auth.session(first))
            #expect(polled.status == .ok, "\(polled.raw)")
            #expect(polled.json["last"] as? Bool == true)
            let messages = try #require(polled.json["messages"] as? [[String: Any]])
            #expect(messages.count == 1)
            let index = try #require(messages.first?["index"] as? Int)
            #expect(polled.json["index"] as? Int == index)
            let data = try #require(messages.first?["data"] as? [String: Any])
            #expect(data["command"] as? String == openURICommand)
            #expect(data["sender"] as? String == sender)
            #expect((data["payload"] as? [String: Any])?["encrypted"] as? String == "b64-ciphertext")

            // Firefox asks from its last index plus one: nothing new.
            let next = try await server.call(.GET, "/v1/account/device/commands?index=\(index + 1)", auth: Auth.session(first))
            #expect((next.json["messages"] as? [Any])?.isEmpty == true && next.json["last"] as? Bool == true)
            // The sender's own queue is empty.
            let own = try await server.call(.GET, "/v1/account/device/commands", auth: Auth.session(second))
            #expect((own.json["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func pagesFollowTheLimit() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let receiver = try await server.registerDevice(first)
            for n in 0..<3 {
                let sent = try await server.call(.POST, "/v1/account/devices/invoke_command", json: [
                    "target": receiver, "command": openURICommand, "payload": ["n": n],
                ], auth: Auth.session(second))
                #expect(sent.status == .ok)
            }
            let page = try await server.call(.GET, "/v1/account/device/commands?limit=2", auth: Auth.session(first))
            let messages = try #require(page.json["messages"] as? [[String: Any]])
            #expect(messages.count == 2 && page.json["last"] as? Bool == false)
            let last = try #require(page.json["index"] as? Int)
            let rest = try await server.call(.GET, "/v1/account/device/commands?index=\(last + 1)&limit=2", auth: Auth.session(first))
            #expect((rest.json["messages"] as? [Any])?.count == 1 && rest.json["last"] as? Bool == true)
        }
    }

    @Test func badCommandsGetFxAsErrnos() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let receiver = try await server.registerDevice(first, commands: [:])
            func invoke(_ body: [String: Any]) async throws -> APIResponse {
                try await server.call(.POST, "/v1/account/devices/invoke_command", json: body, auth: Auth.session(second))
            }
            let payload: [String: Any] = ["x": 1]
            expectError(try await invoke(["target": receiver, "command": openURICommand, "payload": payload]), .badRequest, errno: 157)
            expectError(try await invoke(["target": DeviceID.random().hex, "command": openURICommand, "payload": payload]),
                        .badRequest, errno: 123)
            expectError(try await invoke(["target": receiver, "command": openURICommand, "payload": "text"]), .badRequest, errno: 107)
            expectError(try await invoke(["target": receiver, "command": "no spaces", "payload": payload]), .badRequest, errno: 107)
            expectError(try await invoke(["target": receiver, "command": openURICommand, "payload": payload, "ttl": -1]),
                        .badRequest, errno: 107)
            expectError(try await invoke(["command": openURICommand, "payload": payload]), .badRequest, errno: 108)
            // Another account's device is unknown here.
            let (stranger, _) = try await server.verifiedSession()
            let theirs = try await server.registerDevice(stranger)
            expectError(try await invoke(["target": theirs, "command": openURICommand, "payload": payload]), .badRequest, errno: 123)

            // A session without a device has no queue.
            expectError(try await server.call(.GET, "/v1/account/device/commands", auth: Auth.session(second)), .badRequest, errno: 123)
            expectError(try await server.call(.GET, "/v1/account/device/commands?limit=101", auth: Auth.session(first)),
                        .badRequest, errno: 107)
            expectError(try await server.call(.GET, "/v1/account/device/commands?index=-1", auth: Auth.session(first)),
                        .badRequest, errno: 107)
        }
    }

    @Test func notifyAcceptsFxAsPayloadsOnly() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let ok = try await server.call(.POST, "/v1/account/devices/notify", json: [
                "to": "all", "excluded": [DeviceID.random().hex],
                "payload": ["version": 1, "command": "sync:collection_changed", "data": ["collections": ["clients"]]],
                "TTL": 0,
            ], auth: Auth.session(session))
            #expect(ok.status == .ok && ok.raw == "{}", "\(ok.raw)")
            let listed = try await server.call(.POST, "/v1/account/devices/notify", json: [
                "to": [DeviceID.random().hex], "payload": ["version": 1, "command": "fxaccounts:profile_updated"],
            ], auth: Auth.session(session))
            #expect(listed.status == .ok)
            for payload in [["version": 1, "command": "evil:command"], ["command": "fxaccounts:profile_updated"],
                            ["version": 1, "command": "fxaccounts:profile_updated", "extra": true],
                            ["version": 1, "command": "fxaccounts:profile_updated", "data": "text"]] as [[String: Any]] {
                expectError(try await server.call(.POST, "/v1/account/devices/notify", json: ["to": "all", "payload": payload],
                                                  auth: Auth.session(session)), .badRequest, errno: 107)
            }
            expectError(try await server.call(.POST, "/v1/account/devices/notify", json: [
                "to": "some", "payload": ["version": 1, "command": "fxaccounts:profile_updated"],
            ], auth: Auth.session(session)), .badRequest, errno: 107)
            expectError(try await server.call(.POST, "/v1/account/devices/notify", json: [
                "to": "all", "payload": ["version": 1, "command": "fxaccounts:profile_updated"], "TTL": -1,
            ], auth: Auth.session(session)), .badRequest, errno: 107)
        }
    }
}

/// What may act on other devices: a confirmed session, within the
/// account's limit of messages.
@Suite("Device API limits", .serialized)
struct DeviceAPILimitTests {
    @Test func anUnconfirmedSessionCannotActOnTheAccountsDevices() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let confirmed = try await server.signUp(user)
            let firefox = try await server.registerDevice(confirmed.sessionToken)
            // A second account's session stuck before its code stands in
            // for a password-only session (the account is unconfirmed too,
            // which the verified-session rule names first: errno 104).
            let stuck = try await server.signUp(TestUser(), verify: false)
            _ = try await server.registerDevice(stuck.sessionToken)
            let payload: [String: Any] = ["x": 1]
            let calls: [(HTTPMethod, String, [String: Any]?)] = [
                (.POST, "/v1/account/device/destroy", ["id": firefox]),
                (.POST, "/v1/account/devices/invoke_command", ["target": firefox, "command": openURICommand, "payload": payload]),
                (.POST, "/v1/account/devices/notify", ["to": "all", "payload": ["version": 1, "command": "fxaccounts:profile_updated"]]),
                (.GET, "/v1/account/device/commands", nil),
                (.POST, "/v1/account/attached_client/destroy", ["deviceId": firefox]),
            ]
            for (method, path, body) in calls {
                expectError(try await server.call(method, path, json: body, auth: Auth.session(stuck.sessionToken)),
                            .badRequest, errno: 104)
            }
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(confirmed.sessionToken)).status == .ok)
        }
    }

    @Test func messagesBetweenDevicesCountAgainstTheAccountsLimit() async throws {
        try await withTestServer(configure: { $0.customs = CustomsPolicy(deviceMessagesPerAccount: 2) }) { server in
            let (_, first, second, _) = try await server.twoSessions()
            let receiver = try await server.registerDevice(first)
            let payload: [String: Any] = ["x": 1]
            let command: [String: Any] = ["target": receiver, "command": openURICommand, "payload": payload]
            #expect(try await server.call(.POST, "/v1/account/devices/invoke_command", json: command, auth: Auth.session(second)).status == .ok)
            #expect(try await server.call(.POST, "/v1/account/devices/notify", json: [
                "to": "all", "payload": ["version": 1, "command": "fxaccounts:profile_updated"],
            ], auth: Auth.session(second)).status == .ok)
            let throttled = try await server.call(.POST, "/v1/account/devices/invoke_command", json: command, auth: Auth.session(second))
            expectError(throttled, .tooManyRequests, errno: 114)
            #expect(throttled.headers.first(name: .retryAfter) != nil)
        }
    }
}
