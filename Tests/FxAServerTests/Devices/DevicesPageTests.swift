import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// Devices in "Devices & apps": each with its name, kind and last activity,
/// and a sign-out that ends that device's session.
@Suite("Devices on the Devices & apps page", .serialized)
struct DevicesPageTests {
    @Test func devicesAreListedAndOneCanBeSignedOut() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let device = try await server.registerDevice(first, name: "Ada's <Firefox>")
            // Firefox's own tokens are its device's, not an app row.
            let granted = try await server.call(.POST, "/v1/oauth/token", json: [
                "client_id": FirstPartyClients.firefoxDesktop.id.hex, "grant_type": "fxa-credentials", "scope": "profile",
            ], auth: Auth.session(first))
            #expect(granted.status == .ok)

            let browser = try await server.webSignIn(session: second)
            let list = try await server.page("/settings/clients", browser)
            #expect(list.status == .ok)
            #expect(list.raw.contains("Ada&#39;s &lt;Firefox&gt;") || list.raw.contains("Ada's &lt;Firefox&gt;"), "\(list.raw)")
            #expect(list.raw.contains("Computer") && list.raw.contains("last active a few seconds ago"))
            #expect(!list.raw.contains("this browser"), "the pages stand on another session")
            #expect(!list.raw.contains("Change your profile"), "no separate Firefox app row")

            // A form without the CSRF token does nothing.
            let forged = try await server.post("/settings/devices/destroy", browser, ["device_id": device])
            #expect(forged.status == .forbidden)
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)).status == .ok)

            let signedOut = try await server.post("/settings/devices/destroy", browser, [
                "csrf_token": try csrfToken(list), "device_id": device,
            ])
            #expect(signedOut.headers.first(name: .location) == "/settings/clients?done=device_signed_out")
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)), .unauthorized, errno: 110)
            // The tokens that Firefox's session minted end with it.
            let firefoxToken = try #require(granted.string("access_token"))
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": firefoxToken]), .badRequest, errno: 108,
                             error: "invalid_grant")
            let after = try await server.page("/settings/clients?done=device_signed_out", browser)
            #expect(!after.raw.contains("Ada") && after.raw.contains("Signed out of that device"))

            // Another account's device is not this page's to sign out.
            let (stranger, _) = try await server.verifiedSession()
            let theirs = try await server.registerDevice(stranger)
            let foreign = try await server.post("/settings/devices/destroy", browser, [
                "csrf_token": try csrfToken(list), "device_id": theirs,
            ])
            #expect(foreign.headers.first(name: .location) == "/settings/clients")
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(stranger)).status == .ok)

            // A tampered id signs out of nothing.
            let tampered = try await server.post("/settings/devices/destroy", browser, [
                "csrf_token": try csrfToken(list), "device_id": "zz",
            ])
            #expect(tampered.headers.first(name: .location) == "/settings/clients")
        }
    }

    @Test func signingOutThisBrowsersOwnDeviceEndsItsPages() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let device = try await server.registerDevice(session)
            let browser = try await server.webSignIn(session: session)
            let list = try await server.page("/settings/clients", browser)
            #expect(list.raw.contains("this browser"))
            let out = try await server.post("/settings/devices/destroy", browser, ["csrf_token": try csrfToken(list), "device_id": device])
            #expect(out.headers.first(name: .location) == "/signin")
            #expect(try await server.page("/settings", browser).status == .seeOther, "signed out")
        }
    }
}
