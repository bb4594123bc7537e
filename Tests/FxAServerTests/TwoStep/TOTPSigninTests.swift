import FxACore
import FxAServer
import Foundation
import Testing

/// Signing in to an account with two-step authentication: the session
/// waits for the app's code, which works once, within a step of skew.
@Suite("Two-step authentication: sign-in")
struct TOTPSigninTests {
    @Test func aSignInWaitsForTheAppsCodeAndItsKeysWithIt() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let mailsBefore = try await server.dependencies.stores.mailbox.messages(mailbox: user.email.components(separatedBy: "@")[0]).count

            let login = try await server.call(
                .POST, "/v1/account/login?keys=true",
                json: ["email": user.email, "authPW": try user.v1().authPW.hexString, "reason": "login"])
            #expect(login.json["verified"] as? Bool == false)
            #expect(login.string("verificationMethod") == "totp-2fa")
            #expect(login.string("verificationReason") == "login")
            let mailsAfter = try await server.dependencies.stores.mailbox.messages(mailbox: user.email.components(separatedBy: "@")[0]).count
            #expect(mailsAfter == mailsBefore, "no code is emailed: the app's replaces it")
            let session = try #require(login.string("sessionToken"))
            let keyFetch = try #require(login.string("keyFetchToken"))
            let auth = TestAuth.bearer(.sessionToken, token: session)

            let early = try await server.call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetch))
            expectError(early, .badRequest, errno: 138)
            let status = try await server.call(.GET, "/v1/session/status", auth: auth)
            #expect(status.string("state") == "unverified")

            let wrong = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret, steps: 3)], auth: auth)
            #expect(wrong.status == .ok && wrong.json["success"] as? Bool == false, "a wrong code is not an error, as in FxA")
            let right = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: auth)
            #expect(right.json["success"] as? Bool == true, "\(right.raw)")

            let kB = try await server.fetchKB(keyFetchToken: keyFetch, stretched: try user.v1())
            #expect(kB == account.kB, "the key-fetch token came alive with its session")
            let email = try await server.call(.GET, "/v1/recovery_email/status", auth: auth)
            #expect(email.json["verified"] as? Bool == true)
            let details = try #require(try await server.call(.GET, "/v1/session/status", auth: auth).json["details"] as? [String: Any])
            #expect(details["sessionVerificationMethod"] as? String == "totp-2fa")
        }
    }

    @Test func aCodeWorksOnceAndWithinOneStepOfSkew() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let secret = try await server.enableTwoStep(user, session: try await server.signUp(user).sessionToken)
            // Clear of the step the setup spent.
            server.clock.advance(by: 60)
            func verify(_ code: String) async throws -> Bool? {
                let session = try #require(try await server.login(user).response.string("sessionToken"))
                let response = try await server.call(
                    .POST, "/v1/session/verify/totp", json: ["code": code], auth: .bearer(.sessionToken, token: session))
                return response.json["success"] as? Bool
            }
            #expect(try await verify(try server.authenticatorCode(secret, steps: -2)) == false, "two steps behind")
            #expect(try await verify(try server.authenticatorCode(secret, steps: 2)) == false, "two steps ahead")
            let behind = try server.authenticatorCode(secret, steps: -1)
            #expect(try await verify(behind) == true, "a phone 30 s behind")
            #expect(try await verify(behind) == false, "the same code on another sign-in")
            let now = try server.authenticatorCode(secret)
            #expect(try await verify(now) == true, "the next step's code")
            #expect(try await verify(try server.authenticatorCode(secret, steps: -1)) == false, "an older code after a newer one")
            #expect(try await verify(now) == false, "and the used one again")
            #expect(try await verify("12345") == false, "five digits never match")
        }
    }

    @Test func wrongCodesAreThrottledWithRetryAfter() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let secret = try await server.enableTwoStep(user, session: try await server.signUp(user).sessionToken)
            let session = try #require(try await server.login(user).response.string("sessionToken"))
            let auth = TestAuth.bearer(.sessionToken, token: session)
            let wrong = try server.authenticatorCode(secret, steps: 4)
            var last: APIResponse?
            for _ in 0..<12 {
                last = try await server.call(.POST, "/v1/session/verify/totp", json: ["code": wrong], auth: auth)
                if last?.status == .tooManyRequests { break }
            }
            let throttled = try #require(last)
            expectError(throttled, .tooManyRequests, errno: 114)
            #expect(throttled.json["retryAfter"] as? Int ?? 0 > 0)
            let right = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: auth)
            expectError(right, .tooManyRequests, errno: 114)
        }
    }

    /// Customs off: what locks here is the count kept beside the secret,
    /// which a restart or another instance does not reset.
    @Test func fiveWrongCodesLockTheChecksForLongerEachTime() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let backupCodes = try #require(
                try await server.call(.GET, "/v1/recoveryCodes", auth: .bearer(.sessionToken, token: account.sessionToken))
                    .json["recoveryCodes"] as? [String])
            func signIn() async throws -> TestAuth {
                .bearer(.sessionToken, token: try #require(try await server.login(user).response.string("sessionToken")))
            }
            func verify(_ code: String, _ auth: TestAuth) async throws -> APIResponse {
                try await server.call(.POST, "/v1/session/verify/totp", json: ["code": code], auth: auth)
            }
            let auth = try await signIn()
            for attempt in 1...5 {
                let wrong = try await verify(try server.authenticatorCode(secret, steps: 5), auth)
                #expect(wrong.json["success"] as? Bool == false, "wrong code \(attempt): \(wrong.raw)")
            }
            #expect(try await server.mailTemplates(to: user.email).contains("twoStepLocked"), "the user is told")
            let locked = try await verify(try server.authenticatorCode(secret), auth)
            expectError(locked, .tooManyRequests, errno: 114)
            #expect((locked.json["retryAfter"] as? Int).map { (890...901).contains($0) } == true, "15 minutes: \(locked.raw)")
            expectError(try await verify(try server.authenticatorCode(secret), try await signIn()), .tooManyRequests, errno: 114)
            let backup = try await server.call(
                .POST, "/v1/session/verify/recoveryCode", json: ["code": backupCodes[0]], auth: try await signIn())
            #expect(backup.json["remaining"] as? Int == 7, "backup codes still work: \(backup.raw)")

            // A second past the lock: stored times round, the boundary is not exact.
            server.clock.advance(by: 15 * 60 + 1)
            // Five more wrong codes in a row: twice as long.
            for _ in 1...5 { _ = try await verify(try server.authenticatorCode(secret, steps: 5), auth) }
            let longer = try await verify(try server.authenticatorCode(secret), auth)
            #expect((longer.json["retryAfter"] as? Int).map { (1790...1801).contains($0) } == true, "30 minutes: \(longer.raw)")

            server.clock.advance(by: 30 * 60 + 1)
            let right = try await verify(try server.authenticatorCode(secret), auth)
            #expect(right.json["success"] as? Bool == true, "the lock ends: \(right.raw)")
            // A good code clears the count: the next wrong one does not lock.
            let next = try await signIn()
            server.clock.advance(by: 30)
            #expect(try await verify(try server.authenticatorCode(secret, steps: 5), next).json["success"] as? Bool == false)
            #expect(try await verify(try server.authenticatorCode(secret), next).json["success"] as? Bool == true)
        }
    }

    @Test func theEmailedSigninCodeCannotStandInForTheApp() async throws {
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: true)
            // A sign-in code emailed before two-step authentication was on.
            let earlier = try #require(try await server.login(user).response.string("sessionToken"))
            let code = try #require(try await server.mailHeader("X-Signin-Verify-Code", to: user.email))
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let used = try await server.call(
                .POST, "/v1/session/verify_code", json: ["code": code], auth: .bearer(.sessionToken, token: earlier))
            expectError(used, .badRequest, errno: 183)
            let login = try await server.login(user).response
            #expect(login.string("verificationMethod") == "totp-2fa", "the app's code, not the emailed one")
            let session = try #require(login.string("sessionToken"))
            let resend = try await server.call(.POST, "/v1/session/resend_code", json: [:], auth: .bearer(.sessionToken, token: session))
            #expect(resend.status == .ok)
            #expect(try await server.mailHeader("X-Signin-Verify-Code", to: user.email) == code, "no new code was sent")
        }
    }

    /// `/password/change/start` hands out a key-fetch token for the old
    /// password: once two-step authentication is on, only a session that
    /// gave the second factor may start it, and the new session keeps it.
    @Test func thePasswordAloneCannotStartAChangeOnceItIsOn() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let older = try #require(try await server.login(user).response.string("sessionToken"))
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let body: [String: Any] = ["email": user.email, "oldAuthPW": try user.v1().authPW.hexString]
            expectError(try await server.call(.POST, "/v1/password/change/start", json: body), .badRequest, errno: 222)
            expectError(
                try await server.call(.POST, "/v1/password/change/start", json: body, auth: .bearer(.sessionToken, token: older)),
                .badRequest, errno: 222)

            let newUser = TestUser(user.email, password: "a brand new password")
            let finish = try await PasswordFlowTests.change(
                server, user, to: newUser, session: account.sessionToken, kB: account.kB, salt: nil)
            #expect(finish.status == .ok, "\(finish.raw)")
            let session = try #require(finish.string("sessionToken"))
            let details = try #require(
                try await server.call(.GET, "/v1/session/status", auth: .bearer(.sessionToken, token: session)).json["details"] as? [String: Any])
            #expect(details["sessionVerificationMethod"] as? String == "totp-2fa", "the second factor carries over")
            #expect(details["sessionVerificationMeetsMinimumAAL"] as? Bool == true)
        }
    }

    /// Deleting the account takes the password and, once two-step
    /// authentication is on, a session that gave the app's code.
    @Test func thePasswordAloneCannotDeleteTheAccountOnceItIsOn() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let older = try #require(try await server.login(user).response.string("sessionToken"))
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let pending = try #require(try await server.login(user).response.string("sessionToken"))
            let body: [String: Any] = ["email": user.email, "authPW": try user.v1().authPW.hexString]
            expectError(
                try await server.call(.POST, "/v1/account/destroy", json: body, auth: .bearer(.sessionToken, token: pending)),
                .badRequest, errno: 138)
            expectError(
                try await server.call(.POST, "/v1/account/destroy", json: body, auth: .bearer(.sessionToken, token: older)),
                .badRequest, errno: 222)
            _ = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)],
                auth: .bearer(.sessionToken, token: pending))
            let deleted = try await server.call(.POST, "/v1/account/destroy", json: body, auth: .bearer(.sessionToken, token: pending))
            #expect(deleted.status == .ok, "\(deleted.raw)")
        }
    }

    @Test func verifyingWithoutTwoStepIsErrno155AndAMalformedCode107() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let auth = TestAuth.bearer(.sessionToken, token: session)
            expectError(
                try await server.call(.POST, "/v1/session/verify/totp", json: ["code": "123456"], auth: auth), .badRequest, errno: 155)
            for bad: Any in ["12a456", "", String(repeating: "1", count: 33), 123_456] {
                expectError(
                    try await server.call(.POST, "/v1/session/verify/totp", json: ["code": bad], auth: auth), .badRequest, errno: 107)
            }
            expectError(try await server.call(.POST, "/v1/session/verify/totp", json: [:], auth: auth), .badRequest, errno: 108)
            expectError(try await server.call(.POST, "/v1/session/verify/totp", json: ["code": "123456"]), .unauthorized, errno: 110)
        }
    }
}
