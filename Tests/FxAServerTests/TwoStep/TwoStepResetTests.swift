import FxACore
import FxAServer
import Foundation
import Testing

/// A forgotten password on an account with two-step authentication: the
/// emailed code alone must not take the account over, so the reset also
/// needs the app's code, a backup code, or the account recovery key.
@Suite("Two-step authentication: password reset")
struct TwoStepResetTests {
    /// A second apart from any earlier mail, so the newest OTP is this flow's.
    private func forgotToken(_ server: TestServer, _ user: TestUser) async throws -> (token: String, code: String) {
        server.clock.advance(by: 1)
        return try await server.passwordForgotToken(user)
    }

    private func sessionDetails(_ server: TestServer, _ session: String) async throws -> [String: Any] {
        try #require(
            try await server.call(.GET, "/v1/session/status", auth: .bearer(.sessionToken, token: session)).json["details"] as? [String: Any])
    }

    @Test func theEmailedCodeAloneCannotResetAndTheAppsCodeCan() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let newUser = TestUser(user.email, password: "a new password after the reset")

            // Skipping the second factor: the reset token is refused.
            let skipped = try await server.accountResetToken(forgot: try await forgotToken(server, user))
            expectError(
                try await server.call(
                    .POST, "/v1/account/reset", json: ["authPW": try newUser.v1().authPW.hexString],
                    auth: .bearer(.accountResetToken, token: skipped)),
                .badRequest, errno: 138)
            #expect(try await server.login(user).response.string("sessionToken") != nil, "the old password still works")

            let forgot = try await forgotToken(server, user)
            let auth = TestAuth.bearer(.passwordForgotToken, token: forgot.token)
            let exists = try await server.call(.GET, "/v1/totp/exists", auth: auth)
            #expect(exists.json["exists"] as? Bool == true, "the page asks with its password-forgot token: \(exists.raw)")
            let codes = try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth)
            #expect(codes.status == .ok && codes.json["hasBackupCodes"] as? Bool == false, "\(codes.raw)")
            let wrong = try await server.call(
                .POST, "/v1/totp/verify", json: ["code": try server.authenticatorCode(secret, steps: 3)], auth: auth)
            #expect(wrong.status == .ok && wrong.json["success"] as? Bool == false, "a wrong code is not an error: \(wrong.raw)")
            let right = try await server.call(.POST, "/v1/totp/verify", json: ["code": try server.authenticatorCode(secret)], auth: auth)
            #expect(right.json["success"] as? Bool == true, "\(right.raw)")

            let done = try await server.call(
                .POST, "/v1/account/reset", json: ["authPW": try newUser.v1().authPW.hexString, "sessionToken": true],
                auth: .bearer(.accountResetToken, token: try await server.accountResetToken(forgot: forgot)))
            #expect(done.status == .ok, "\(done.raw)")
            #expect(done.string("uid") == account.uid && done.json["verified"] as? Bool == true)
            let session = try #require(done.string("sessionToken"))
            let details = try await sessionDetails(server, session)
            #expect(details["sessionVerificationMethod"] as? String == "totp-2fa", "the reset's second factor carries to its session")
            #expect(details["sessionVerificationMeetsMinimumAAL"] as? Bool == true)
            let stillOn = try await server.call(.GET, "/v1/totp/exists", auth: .bearer(.sessionToken, token: session))
            #expect(stillOn.json["exists"] as? Bool == true, "the reset leaves two-step authentication on")
            let login = try await server.login(newUser).response
            #expect(login.string("verificationMethod") == "totp-2fa", "and signing in still asks for the app's code")
        }
    }

    @Test func aBackupCodeStandsInForTheAppAndIsSpent() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let generated = try await server.call(.GET, "/v1/recoveryCodes", auth: .bearer(.sessionToken, token: account.sessionToken))
            let backupCodes = try #require(generated.json["recoveryCodes"] as? [String], "\(generated.raw)")

            let forgot = try await forgotToken(server, user)
            let auth = TestAuth.bearer(.passwordForgotToken, token: forgot.token)
            #expect(try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth).json["count"] as? Int == 8)
            expectError(
                try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": "0000000000"], auth: auth),
                .badRequest, errno: 156)
            expectError(
                try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": "not a code!"], auth: auth),
                .badRequest, errno: 107)
            let used = try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": backupCodes[0]], auth: auth)
            #expect(used.json["remaining"] as? Int == 7, "\(used.raw)")
            #expect(try await server.mailTemplates(to: user.email).contains("postSigninRecoveryCode"), "the user is told")

            let newUser = TestUser(user.email, password: "reset with a backup code")
            let done = try await server.call(
                .POST, "/v1/account/reset", json: ["authPW": try newUser.v1().authPW.hexString],
                auth: .bearer(.accountResetToken, token: try await server.accountResetToken(forgot: forgot)))
            #expect(done.status == .ok && done.raw == "{}", "without sessionToken the answer is empty: \(done.raw)")

            // The spent code does not work again, in a reset or a sign-in.
            let again = try await forgotToken(server, newUser)
            expectError(
                try await server.call(
                    .POST, "/v1/totp/verify/recoveryCode", json: ["code": backupCodes[0]],
                    auth: .bearer(.passwordForgotToken, token: again.token)),
                .badRequest, errno: 156)
        }
    }

    @Test func theRecoveryKeyCountsAsTheSecondFactorAndKeepsTheKeys() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let key = RecoveryKeyClient.random()
            let uid = try #require(Data(hex: account.uid))
            let keyID = key.id(uid: uid).hexString
            let created = try await server.call(
                .POST, "/v1/recoveryKey",
                json: ["recoveryKeyId": keyID, "recoveryData": try key.seal(#"{"kB":"\#(account.kB.hexString)"}"#, uid: uid), "enabled": true],
                auth: .bearer(.sessionToken, token: account.sessionToken))
            try #require(created.status == .ok, "\(created.raw)")

            let resetAuth = TestAuth.bearer(.accountResetToken, token: try await server.accountResetToken(forgot: try await forgotToken(server, user)))
            let fetched = try await server.call(.GET, "/v1/recoveryKey/\(keyID)", auth: resetAuth)
            let recoveryData = try #require(fetched.string("recoveryData"), "\(fetched.raw)")
            let kB = try #require(try key.open(recoveryData, uid: uid)["kB"].flatMap { Data(hex: $0) })
            let newUser = TestUser(user.email, password: "reset with the recovery key")
            let stretched = try newUser.v1()
            let body: [String: Any] = [
                "authPW": stretched.authPW.hexString, "wrapKb": kB.xor(stretched.unwrapBKey).hexString, "recoveryKeyId": keyID,
            ]
            expectError(
                try await server.call(.POST, "/v1/account/reset?keys=true", json: body, auth: resetAuth), .badRequest, errno: 108)
            var withSession = body
            withSession["sessionToken"] = true
            let done = try await server.call(.POST, "/v1/account/reset?keys=true", json: withSession, auth: resetAuth)
            #expect(done.status == .ok, "no app code needed with the key: \(done.raw)")
            let session = try #require(done.string("sessionToken"))
            #expect(try await sessionDetails(server, session)["sessionVerificationMethod"] as? String == "totp-2fa",
                    "the key is a second factor, as in FxA")
            let keyFetch = try #require(done.string("keyFetchToken"))
            #expect(try await server.fetchKB(keyFetchToken: keyFetch, stretched: stretched) == account.kB,
                    "the new session's key-fetch token opens the same kB")
        }
    }

    /// The older flow hands out a password-forgot token for an address
    /// alone: it may neither ask about the second factor nor guess at it
    /// (which would lock the owner's codes).
    @Test func aTokenFromTheOlderFlowBeforeItsCodeCannotProbeOrGuess() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let sent = try await server.call(.POST, "/v1/password/forgot/send_code", json: ["email": user.email])
            let token = try #require(sent.string("passwordForgotToken"), "\(sent.raw)")
            let auth = TestAuth.bearer(.passwordForgotToken, token: token)
            for _ in 0..<6 {
                expectError(
                    try await server.call(.POST, "/v1/totp/verify", json: ["code": try server.authenticatorCode(secret, steps: 4)], auth: auth),
                    .badRequest, errno: 138)
            }
            expectError(try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": "0000000000"], auth: auth),
                        .badRequest, errno: 138)
            expectError(try await server.call(.GET, "/v1/totp/exists", auth: auth), .badRequest, errno: 138)
            expectError(try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth), .badRequest, errno: 138)
            expectError(try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth), .badRequest, errno: 138)
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.stores.totp.totp(uid: uid)?.failedCodes == 0, "nothing counted, nothing locked")
        }
    }

    @Test func theResetRoutesRefuseBadInput() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let forgot = try await forgotToken(server, user)
            let auth = TestAuth.bearer(.passwordForgotToken, token: forgot.token)
            // Without two-step authentication: no code matches, as FxA answers.
            let none = try await server.call(.POST, "/v1/totp/verify", json: ["code": "123456"], auth: auth)
            #expect(none.status == .ok && none.json["success"] as? Bool == false, "\(none.raw)")
            #expect(try await server.call(.GET, "/v1/totp/exists", auth: auth).json["exists"] as? Bool == false)
            expectError(
                try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": "0000000000"], auth: auth),
                .badRequest, errno: 156)
            for bad: Any in ["12a456", "", 123_456] {
                expectError(try await server.call(.POST, "/v1/totp/verify", json: ["code": bad], auth: auth), .badRequest, errno: 107)
            }
            expectError(try await server.call(.POST, "/v1/totp/verify", json: [:], auth: auth), .badRequest, errno: 108)
            // A session is not a password-forgot token, and nothing is no token.
            let session = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            expectError(try await server.call(.POST, "/v1/totp/verify", json: ["code": "123456"], auth: session), .unauthorized, errno: 110)
            expectError(
                try await server.call(.POST, "/v1/totp/verify/recoveryCode", json: ["code": "0000000000"], auth: session),
                .unauthorized, errno: 110)
            expectError(try await server.call(.POST, "/v1/totp/verify", json: ["code": "123456"]), .unauthorized, errno: 110)
            // An account-reset token's options: `sessionToken` must be a boolean.
            let resetAuth = TestAuth.bearer(.accountResetToken, token: try await server.accountResetToken(forgot: forgot))
            expectError(
                try await server.call(
                    .POST, "/v1/account/reset", json: ["authPW": Hex32.random().hex, "sessionToken": "yes"], auth: resetAuth),
                .badRequest, errno: 107)
        }
    }
}
