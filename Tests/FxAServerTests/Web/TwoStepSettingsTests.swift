import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Two-step authentication on `/settings`: turned on with an emailed code,
/// the secret shown until the app's first code, turned off the same way;
/// pages need the second factor once it is on.
@Suite("Web pages: two-step authentication", .serialized)
struct TwoStepSettingsTests {
    /// The secret as the page shows it, without its grouping spaces.
    private func shownSecret(_ page: APIResponse) throws -> String {
        let marker = #"id="two-step-secret" class="secret">"#
        let start = try #require(page.raw.range(of: marker), "no secret shown: \(page.raw)")
        return String(page.raw[start.upperBound...].prefix { $0 != "<" }).replacingOccurrences(of: " ", with: "")
    }

    /// The backup codes listed on a page.
    private func backupCodes(_ page: APIResponse) throws -> [String] {
        guard let start = page.raw.range(of: #"<div id="backup-codes""#) else { return [] }
        let list = page.raw[start.upperBound...]
        let end = try #require(list.range(of: "</ol>"))
        return list[..<end.lowerBound].components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func aUserTurnsItOnWithTheEmailedCodeAndTheAppsCode() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            var page = try await server.page("/settings", browser)
            #expect(page.raw.contains("Turn on two-step authentication"))
            #expect(!page.raw.contains("/assets/qrcode.js"), "the QR script only on the setup step")

            let sent = try await server.post("/settings/two-step/code", browser, ["csrf_token": try csrfToken(page)])
            #expect(sent.status == .seeOther && sent.headers.first(name: .location) == "/settings?done=two_step_code#two-step")
            page = try await server.page("/settings?done=two_step_code", browser)
            #expect(page.raw.contains(#"name="change" value="on""#), "\(page.raw)")
            let emailed = try #require(try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email))

            let wrongCode = emailed == "000000" ? "111111" : "000000"
            let wrong = try await server.post(
                "/settings/two-step/confirm", browser, ["csrf_token": try csrfToken(page), "change": "on", "code": wrongCode])
            #expect(wrong.status == .badRequest)
            #expect(wrong.raw.contains(#"name="change" value="on""#), "the code step stays open")
            let confirmed = try await server.post(
                "/settings/two-step/confirm", browser, ["csrf_token": try csrfToken(page), "change": "on", "code": emailed])
            #expect(confirmed.headers.first(name: .location) == "/settings?done=two_step_scan#two-step", "\(confirmed.raw)")

            page = try await server.page("/settings?done=two_step_scan", browser)
            let secret = try shownSecret(page)
            #expect(secret.count == 32)
            #expect(page.raw.contains(#"data-uri="otpauth://totp/accounts.example.test:"#))
            #expect(page.raw.contains(#"<script src="/assets/qrcode.js"></script>"#))
            #expect(try await server.page("/settings", browser).raw.contains(secret.prefix(4)), "shown again until it is finished")

            let badApp = try await server.post(
                "/settings/two-step/enable", browser,
                ["csrf_token": try csrfToken(page), "code": try server.authenticatorCode(secret, steps: 5)])
            #expect(badApp.status == .badRequest && badApp.raw.contains("two-step-secret"), "the setup stays on the page")
            let enabled = try await server.post(
                "/settings/two-step/enable", browser, ["csrf_token": try csrfToken(page), "code": try server.authenticatorCode(secret)])
            #expect(enabled.status == .ok, "the page itself, with the backup codes: \(enabled.raw)")
            #expect(enabled.headers.first(name: .cacheControl) == "no-store")
            let shown = try backupCodes(enabled)
            #expect(shown.count == 8)

            page = try await server.page("/settings", browser)
            #expect(page.raw.contains("<strong>On.</strong>"))
            #expect(!page.raw.contains("two-step-secret"), "never shown again")
            #expect(try backupCodes(page).isEmpty, "the codes are shown once")
            #expect(page.raw.contains("8 backup codes left"))
            let replaced = try await server.post("/settings/two-step/backup-codes", browser, ["csrf_token": try csrfToken(page)])
            let newCodes = try backupCodes(replaced)
            #expect(newCodes.count == 8 && Set(newCodes).isDisjoint(with: shown))
            let login = try #require(try await server.login(user).response.string("sessionToken"))
            let old = try await server.call(
                .POST, "/v1/session/verify/recoveryCode", json: ["code": shown[0]], auth: .bearer(.sessionToken, token: login))
            expectError(old, .badRequest, errno: 156)
            let exists = try await server.call(.GET, "/v1/totp/exists", auth: .bearer(.sessionToken, token: account.sessionToken))
            #expect(exists.json["verified"] as? Bool == true)
            #expect(try await server.login(user).response.string("verificationMethod") == "totp-2fa")
        }
    }

    @Test func aUserTurnsItOffWithTheEmailedCode() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let browser = try await server.webSignIn(session: account.sessionToken)
            var page = try await server.page("/settings", browser)
            #expect(page.raw.contains("<strong>On.</strong>"), "the session that turned it on gave the code")
            server.clock.advance(by: 1)
            _ = try await server.post("/settings/two-step/code", browser, ["csrf_token": try csrfToken(page)])
            page = try await server.page("/settings?done=two_step_code", browser)
            #expect(page.raw.contains(#"name="change" value="off""#))
            let emailed = try #require(try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email))

            let stale = try await server.post(
                "/settings/two-step/confirm", browser, ["csrf_token": try csrfToken(page), "change": "on", "code": emailed])
            #expect(stale.status == .conflict, "a form for the other change does nothing")
            let off = try await server.post(
                "/settings/two-step/confirm", browser, ["csrf_token": try csrfToken(page), "change": "off", "code": emailed])
            #expect(off.headers.first(name: .location) == "/settings?done=two_step_off#two-step", "\(off.raw)")
            #expect(try await server.login(user).response.json["verified"] as? Bool == true)
        }
    }

    @Test func aPageSessionFromBeforeItWasOnSignsInAgain() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let older = try #require(try await server.login(user).response.string("sessionToken"))
            let browser = try await server.webSignIn(session: older)
            #expect(try await server.page("/settings", browser).status == .ok)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let settings = try await server.page("/settings", browser)
            #expect(settings.status == .seeOther, "no settings without the second factor")
            let signin = try await server.page("/signin?next=/settings", browser)
            #expect(signin.status == .ok, "the sign-in page, not a redirect loop back to settings")
        }
    }

    /// The page stores the recovery key it made (kB sealed in the browser)
    /// with a script call, and removes it with a form: both need our origin
    /// and the session's CSRF token, and bad values get FxA's errnos.
    @Test func thePageStoresAndRemovesARecoveryKey() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let browser = try await server.webSignIn(session: account.sessionToken)
            var page = try await server.page("/settings", browser)
            #expect(page.raw.contains("Create an account recovery key"))
            let csrf = try csrfToken(page)
            let good: [String: Any] = [
                "recoveryKeyId": SecureRandom.bytes(16).hexString, "recoveryData": "eyJhbGciOiJkaXIifQ..aXY.ZGF0YQ.dGFn",
                "hint": "the blue folder",
            ]
            let path = "/v1/web/recovery-key"
            expectError(try await server.scriptCall(path, browser, csrf: csrf, json: good, origin: nil), .forbidden, errno: 999)
            expectError(try await server.scriptCall(path, browser, csrf: nil, json: good), .forbidden, errno: 999)
            expectError(
                try await server.scriptCall(path, browser, csrf: csrf, json: good.merging(["recoveryKeyId": "zz"]) { $1 }),
                .badRequest, errno: 107)
            expectError(
                try await server.scriptCall(path, browser, csrf: csrf, json: good.merging(["recoveryData": "a b"]) { $1 }),
                .badRequest, errno: 107)
            #expect(try await server.scriptCall(path, browser, csrf: csrf, json: good).status == .ok)
            page = try await server.page("/settings", browser)
            #expect(page.raw.contains("<strong>Set up.</strong>") && page.raw.contains("the blue folder"))

            #expect(try await server.post("/settings/recovery-key/remove", browser, [:]).status == .forbidden, "no CSRF token")
            let removed = try await server.post("/settings/recovery-key/remove", browser, ["csrf_token": try csrfToken(page)])
            #expect(removed.headers.first(name: .location) == "/settings?done=recovery_key_removed#recovery-key")
            #expect(try await server.page("/settings", browser).raw.contains("Create an account recovery key"))
        }
    }

    @Test func formsWithoutTheirCSRFTokenChangeNothing() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            for path in ["/settings/two-step/code", "/settings/two-step/confirm", "/settings/two-step/enable"] {
                let refused = try await server.post(path, browser, ["change": "on", "code": "123456"])
                #expect(refused.status == .forbidden, "\(path)")
            }
            let mailed = try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email)
            #expect(mailed == nil, "no code was sent")
        }
    }
}
