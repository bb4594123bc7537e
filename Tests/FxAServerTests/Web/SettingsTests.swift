import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// `/settings` beyond the display name: the password change and account
/// deletion that the page's script makes on the web session, email
/// addresses and the profile picture.
@Suite("Web pages: settings", .serialized)
struct SettingsTests {
    /// What `settings.js` does: authPW of the current password to the web
    /// start, kB from the key bundle, rewrapped under the new password,
    /// finished with the change token alone (the page cannot name its
    /// session), then the new session becomes the web session.
    private func changePassword(
        _ server: TestServer, _ browser: WebBrowser, csrf: String, _ user: TestUser, to newUser: TestUser, kB: Data
    ) async throws -> APIResponse {
        let old = try user.v1()
        let start = try await server.scriptCall(
            "/v1/web/password/change/start", browser, csrf: csrf, json: ["authPW": old.authPW.hexString])
        try #require(start.status == .ok, "start: \(start.raw)")
        let keyFetch = try #require(start.string("keyFetchToken"))
        #expect(try await server.fetchKB(keyFetchToken: keyFetch, stretched: old) == kB, "the page unwraps the same kB")
        let new = try newUser.v1()
        return try await server.call(
            .POST, "/v1/password/change/finish",
            json: ["authPW": new.authPW.hexString, "wrapKb": kB.xor(new.unwrapBKey).hexString],
            auth: .bearer(.passwordChangeToken, token: try #require(start.string("passwordChangeToken"))))
    }

    @Test func thePageChangesThePasswordKeepsKBAndStaysSignedIn() async throws {
        // With confirmed sign-ins, the replacement session is verified only
        // because the change began on the (verified) web session.
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let user = TestUser()
            // v2 sign-up: the test picks kB (a v1 one reads it back through a
            // login, which confirmed sign-ins leave unconfirmed). The page
            // changes the v1 password, which drops the v2 credentials.
            let account = try await server.signUp(user, v2: true)
            let browser = try await server.webSignIn(session: account.sessionToken)
            let settings = try await server.page("/settings", browser)
            #expect(settings.raw.contains(#"<script src="/assets/settings.js">"#))
            #expect(settings.raw.contains(#"id="password-change" hidden"#), "hidden until the script runs")
            #expect(!settings.raw.contains(#"name="old-password""#), "password fields have no name: never submitted by a form")
            let newUser = TestUser(user.email, password: "a brand new password")
            let finish = try await changePassword(server, browser, csrf: try csrfToken(settings), user, to: newUser, kB: account.kB)
            try #require(finish.status == .ok, "\(finish.raw)")
            #expect(finish.json["verified"] as? Bool == true)
            #expect(try await server.page("/settings", browser).status == .seeOther, "the old web session ended with its token")
            let renewed = try await server.webSignIn(session: try #require(finish.string("sessionToken")))
            #expect(try await server.page("/settings", renewed).status == .ok)
            expectError(try await server.login(user).response, .badRequest, errno: 103)
            #expect(try await server.login(newUser).response.status == .ok)
            // kB survives: a second change from the renewed session unwraps it again.
            let again = try await changePassword(
                server, renewed, csrf: try csrfToken(try await server.page("/settings", renewed)), newUser,
                to: TestUser(user.email, password: "yet another password"), kB: account.kB)
            #expect(again.status == .ok)
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.stores.outbox.events(uid: uid).contains { $0.kind == .passwordChange })
        }
    }

    @Test func theScriptCallsNeedOurOriginTheCSRFTokenAndThePassword() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            let csrf = try csrfToken(try await server.page("/settings", browser))
            let proof = ["authPW": try user.v1().authPW.hexString]
            for path in ["/v1/web/password/change/start", "/v1/web/account/keys", "/v1/web/account/destroy"] {
                expectError(try await server.scriptCall(path, browser, csrf: csrf, json: proof, origin: nil), .forbidden, errno: 999)
                expectError(try await server.scriptCall(path, browser, csrf: csrf, json: proof, origin: "https://evil.example"),
                            .forbidden, errno: 999)
                expectError(try await server.scriptCall(path, browser, csrf: nil, json: proof), .forbidden, errno: 999)
                expectError(try await server.scriptCall(path, browser, csrf: "forged", json: proof), .forbidden, errno: 999)
                expectError(try await server.scriptCall(path, WebBrowser(cookie: "nope"), csrf: csrf, json: proof),
                            .unauthorized, errno: 110)
                expectError(try await server.scriptCall(path, browser, csrf: csrf, json: ["authPW": String(repeating: "0", count: 64)]),
                            .badRequest, errno: 103)
                expectError(try await server.scriptCall(path, browser, csrf: csrf, json: ["authPW": "short"]), .badRequest, errno: 107)
            }
            #expect(try await server.login(user).response.status == .ok, "nothing changed")
        }
    }

    @Test func deletingTheAccountNeedsThePasswordAndTellsTheApps() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            let csrf = try csrfToken(try await server.page("/settings", browser))
            let deleted = try await server.scriptCall(
                "/v1/web/account/destroy", browser, csrf: csrf, json: ["authPW": try user.v1().authPW.hexString])
            #expect(deleted.status == .ok, "\(deleted.raw)")
            #expect(deleted.headers.first(name: .setCookie)?.contains("Max-Age=0") == true, "cookie cleared")
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.stores.accounts.account(uid: uid) == nil)
            #expect(try await server.dependencies.stores.outbox.events(uid: uid).contains { $0.kind == .deleteUser })
            #expect(try await server.page("/settings", browser).status == .seeOther)
            let signin = try await server.page("/signin?done=deleted", nil)
            #expect(signin.raw.contains("Your account is deleted."))
        }
    }

    @Test func aSecondaryAddressIsAddedConfirmedMadePrimaryAndRPsAreTold() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            let csrf = try csrfToken(try await server.page("/settings", browser))
            let newEmail = "second-\(UUID().uuidString.prefix(8).lowercased())@example.org"

            let bad = try await server.post("/settings/emails/add", browser, ["csrf_token": csrf, "email": "not an address"])
            #expect(bad.status == .badRequest && bad.raw.contains("That is not an email address."))
            let added = try await server.post("/settings/emails/add", browser, ["csrf_token": csrf, "email": newEmail])
            #expect(added.headers.first(name: .location) == "/settings?done=email_added", "\(added.raw)")
            let pending = try await server.page("/settings?done=email_added", browser)
            #expect(pending.raw.contains(newEmail) && pending.raw.contains("Waiting for the code we emailed"))
            #expect(!pending.raw.contains("Make primary"), "an unconfirmed address cannot become primary")

            let wrong = try await server.post("/settings/emails/verify", browser, ["csrf_token": csrf, "email": newEmail, "code": "12345"])
            #expect(wrong.status == .badRequest && wrong.raw.contains("6 digits"))
            let code = try #require(try await server.mailHeader("X-Verify-Code", to: newEmail))
            let verified = try await server.post("/settings/emails/verify", browser, ["csrf_token": csrf, "email": newEmail, "code": code])
            #expect(verified.headers.first(name: .location) == "/settings?done=email_verified", "\(verified.raw)")
            #expect(try await server.page("/settings", browser).raw.contains("Make primary"))

            let primary = try await server.post("/settings/emails/primary", browser, ["csrf_token": csrf, "email": newEmail])
            #expect(primary.headers.first(name: .location) == "/settings?done=email_primary")
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.stores.accounts.account(uid: uid)?.primaryEmail == newEmail)
            let events = try await server.dependencies.stores.outbox.events(uid: uid)
            #expect(events.contains { $0.kind == .profileChange && $0.payload["email"] == .string(newEmail) }, "\(events)")
            let page = try await server.page("/settings", browser)
            #expect(page.raw.contains("Signed in as <strong class=\"address\">\(newEmail)</strong>"))
            // The page still stretches with the sign-up address; a wrong
            // password is a wrong password (103), not "use another address".
            let csrfNow = try csrfToken(page)
            expectError(try await server.scriptCall("/v1/web/password/change/start", browser, csrf: csrfNow,
                                                    json: ["authPW": String(repeating: "1", count: 64)]), .badRequest, errno: 103)
            let started = try await server.scriptCall("/v1/web/password/change/start", browser, csrf: csrfNow,
                                                      json: ["authPW": try user.v1().authPW.hexString])
            #expect(started.status == .ok, "the sign-up address's stretch still opens it: \(started.raw)")

            // The old primary is now a secondary address, and can go.
            let removed = try await server.post("/settings/emails/remove", browser, ["csrf_token": csrf, "email": user.email])
            #expect(removed.headers.first(name: .location) == "/settings?done=email_removed")
            #expect(!(try await server.page("/settings", browser)).raw.contains(#"<li class="email"><strong>\#(user.email)"#))
            let refused = try await server.post("/settings/emails/remove", browser, ["email": newEmail])
            #expect(refused.status == .forbidden, "no CSRF token")
        }
    }

    @Test func theProfilePictureIsUploadedCleanedAndRemoved() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let browser = try await server.webSignIn(session: account.sessionToken)
            let csrf = try csrfToken(try await server.page("/settings", browser))
            let uid = try #require(AccountUID(hex: account.uid))

            func upload(_ image: Data, csrf: String?) async throws -> APIResponse {
                let boundary = "----fxa\(UUID().uuidString)"
                var body = Data()
                if let csrf {
                    body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(csrf)\r\n".utf8))
                }
                body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n".utf8))
                body.append(image)
                body.append(Data("\r\n--\(boundary)--\r\n".utf8))
                return try await server.call(.POST, "/settings/avatar", headers: [
                    browser.header, ("Content-Type", "multipart/form-data; boundary=\(boundary)"),
                ], data: body)
            }

            #expect(try await upload(AvatarFixtures.png, csrf: nil).status == .forbidden)
            #expect(try await server.dependencies.stores.profiles.profile(uid: uid)?.avatarID == nil)
            let notAnImage = try await upload(Data("hello".utf8), csrf: csrf)
            #expect(notAnImage.status.code >= 400 && notAnImage.raw.contains("Account settings"), "the page, with why")
            let saved = try await upload(AvatarFixtures.png, csrf: csrf)
            #expect(saved.headers.first(name: .location) == "/settings?done=avatar", "\(saved.raw)")
            let id = try #require(try await server.dependencies.stores.profiles.profile(uid: uid)?.avatarID)
            let page = try await server.page("/settings", browser)
            #expect(page.raw.contains(#"src="/a/\#(id.hex)""#) && page.raw.contains("Remove picture"))
            let removed = try await server.post("/settings/avatar/remove", browser, ["csrf_token": csrf])
            #expect(removed.headers.first(name: .location) == "/settings?done=avatar_removed")
            #expect(try await server.dependencies.stores.profiles.profile(uid: uid)?.avatarID == nil)
        }
    }
}
