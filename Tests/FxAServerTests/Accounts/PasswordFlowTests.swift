import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Password change keeps kB; reset by emailed code replaces it.
@Suite("Password change and reset")
struct PasswordFlowTests {
    /// Changes the password the way PyFxA does, optionally adding v2
    /// credentials, and returns the finish response.
    static func change(
        _ server: TestServer, _ user: TestUser, to newUser: TestUser, session: String, kB: Data, salt: ClientSalt?,
        addV2: ClientSalt? = nil
    ) async throws -> APIResponse {
        let old = try salt.map(user.v2) ?? user.v1()
        let start = try await server.call(.POST, "/v1/password/change/start", json: [
            "email": user.email, "oldAuthPW": old.authPW.hexString], auth: Auth.session(session))
        try #require(start.status == .ok, "start: \(start.raw)")
        let keyFetch = try #require(start.string(salt == nil ? "keyFetchToken" : "keyFetchToken2"))
        #expect(try await server.fetchKB(keyFetchToken: keyFetch, stretched: old) == kB)

        let newV1 = try newUser.v1()
        var body: [String: Any] = [
            "authPW": newV1.authPW.hexString, "wrapKb": kB.xor(newV1.unwrapBKey).hexString,
            "sessionToken": DerivedToken(token: Data(hex: session)!, kind: .sessionToken).id.hexString,
        ]
        if let newSalt = addV2 ?? salt {
            let newV2 = try newUser.v2(newSalt)
            body["authPWVersion2"] = newV2.authPW.hexString
            body["wrapKbVersion2"] = kB.xor(newV2.unwrapBKey).hexString
            body["clientSalt"] = newSalt.rawValue
        }
        return try await server.call(
            .POST, "/v1/password/change/finish?keys=true", json: body,
            auth: .bearer(.passwordChangeToken, token: try #require(start.string("passwordChangeToken"))))
    }

    @Test(arguments: [false, true])
    func changingThePasswordKeepsKBAndEndsOldSessions(v2: Bool) async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: v2)
            let newUser = TestUser(user.email, password: "a brand new password")
            let finish = try await Self.change(server, user, to: newUser, session: account.sessionToken, kB: account.kB, salt: account.salt)
            #expect(finish.status == .ok, "\(finish.raw)")
            #expect(finish.json["verified"] as? Bool == true)
            let newSession = try #require(finish.string("sessionToken"))
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(newSession)).status == .ok)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(account.sessionToken)), .unauthorized, errno: 110)

            expectError(try await server.login(user, salt: account.salt).response, .badRequest, errno: 103)
            let (_, kB) = try await server.login(newUser, salt: account.salt, keys: true)
            #expect(kB == account.kB)
            let events = try await server.dependencies.stores.outbox.events(uid: try #require(AccountUID(hex: account.uid)))
            #expect(events.map(\.kind) == [.passwordChange])
        }
    }

    @Test func aV1AccountUpgradesToV2ThroughAPasswordChangeAndKeepsKB() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: false)
            let salt = ClientSalt.random()
            let finish = try await Self.change(server, user, to: user, session: account.sessionToken, kB: account.kB, salt: nil, addV2: salt)
            #expect(finish.status == .ok, "\(finish.raw)")
            #expect(finish.string("keyFetchToken2") != nil)
            let status = try await server.call(.POST, "/v1/account/credentials/status", json: ["email": user.email])
            #expect(status.string("currentVersion") == "v2")
            #expect(try await server.login(user, salt: salt, keys: true).kB == account.kB)
            #expect(try await server.login(user, keys: true).kB == account.kB)
        }
    }

    @Test func changeStartChecksTheOldPasswordAndTheSession() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let wrong = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": Hex32.random().hex], auth: Auth.session(account.sessionToken))
            expectError(wrong, .badRequest, errno: 103)
            let other = try await server.signUp(TestUser())
            let foreign = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": try user.v1().authPW.hexString], auth: Auth.session(other.sessionToken))
            expectError(foreign, .unauthorized, errno: 110)
            let missing = try await server.call(.POST, "/v1/password/change/finish", json: ["authPW": Hex32.random().hex],
                                                auth: .bearer(.passwordChangeToken, token: Hex32.random().hex))
            expectError(missing, .unauthorized, errno: 110)
        }
    }

    @Test(arguments: [false, true])
    func resetByEmailedCodeReplacesKB(v2Body: Bool) async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: true)
            #expect(try await server.call(.POST, "/v1/password/forgot/send_otp", json: ["email": user.email]).raw == "{}")
            let otp = try #require(try await server.mailHeader("X-Password-Forgot-Otp", to: user.email))
            #expect(otp.count == 8 && otp.allSatisfy(\.isNumber))

            let wrongOTP = otp == "00000000" ? "11111111" : "00000000"
            expectError(try await server.call(.POST, "/v1/password/forgot/verify_otp", json: ["email": user.email, "code": wrongOTP]),
                        .badRequest, errno: 183)
            let verified = try await server.call(.POST, "/v1/password/forgot/verify_otp", json: ["email": user.email, "code": otp])
            try #require(verified.status == .ok, "\(verified.raw)")
            #expect(verified.string("uid") == account.uid)
            #expect(verified.string("emailToHashWith") == user.email)
            // The OTP is single-use.
            expectError(try await server.call(.POST, "/v1/password/forgot/verify_otp", json: ["email": user.email, "code": otp]),
                        .badRequest, errno: 183)

            let forgot = try #require(verified.string("token"))
            let badCode = try await server.call(.POST, "/v1/password/forgot/verify_code", json: ["code": Hex32.random().hex.prefix(32)],
                                                auth: .bearer(.passwordForgotToken, token: forgot))
            expectError(badCode, .badRequest, errno: 105)
            let reset = try await server.call(.POST, "/v1/password/forgot/verify_code", json: ["code": try #require(verified.string("code"))],
                                              auth: .bearer(.passwordForgotToken, token: forgot))
            let resetToken = try #require(reset.string("accountResetToken"), "\(reset.raw)")

            let newUser = TestUser(user.email, password: "after the reset")
            let newKB = SecureRandom.bytes(32)
            let newSalt = ClientSalt.random()
            var body: [String: Any] = ["authPW": try newUser.v1().authPW.hexString]
            if v2Body {
                body["wrapKb"] = newKB.xor(try newUser.v1().unwrapBKey).hexString
                body["authPWVersion2"] = try newUser.v2(newSalt).authPW.hexString
                body["wrapKbVersion2"] = newKB.xor(try newUser.v2(newSalt).unwrapBKey).hexString
                body["clientSalt"] = newSalt.rawValue
            }
            let done = try await server.call(.POST, "/v1/account/reset", json: body, auth: .bearer(.accountResetToken, token: resetToken))
            #expect(done.raw == "{}", "\(done.raw)")
            expectError(try await server.call(.POST, "/v1/account/reset", json: body, auth: .bearer(.accountResetToken, token: resetToken)),
                        .unauthorized, errno: 110)

            expectError(try await server.login(user, salt: account.salt).response, .badRequest, errno: 103)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(account.sessionToken)), .unauthorized, errno: 110)
            let (_, kB) = try await server.login(newUser, keys: true)
            #expect(kB != account.kB)
            if v2Body {
                #expect(kB == newKB)
                #expect(try await server.login(newUser, salt: newSalt, keys: true).kB == newKB)
            }
        }
    }

    @Test func forgotPasswordSendsNothingToAnUnverifiedAccountAndRefusesUnknownOnes() async throws {
        try await withTestServer { server in
            let user = TestUser()
            _ = try await server.signUp(user, verify: false)
            #expect(try await server.call(.POST, "/v1/password/forgot/send_otp", json: ["email": user.email]).status == .ok)
            #expect(try await server.mailHeader("X-Password-Forgot-Otp", to: user.email) == nil)
            expectError(try await server.call(.POST, "/v1/password/forgot/send_otp", json: ["email": "nobody@example.test"]),
                        .badRequest, errno: 102)
        }
    }

    @Test func theLegacyCodeFlowOfOlderClientsAlsoResets() async throws {
        try await withTestServer { server in
            let user = TestUser()
            _ = try await server.signUp(user)
            let sent = try await server.call(.POST, "/v1/password/forgot/send_code", json: ["email": user.email])
            let forgot = try #require(sent.string("passwordForgotToken"), "\(sent.raw)")
            #expect(sent.json["tries"] as? Int == 5)
            let code = try #require(try await server.mailHeader("X-Recovery-Code", to: user.email))
            let status = try await server.call(.GET, "/v1/password/forgot/status", auth: .bearer(.passwordForgotToken, token: forgot))
            #expect(status.json["tries"] as? Int == 5)
            let reset = try await server.call(.POST, "/v1/password/forgot/verify_code", json: ["code": code],
                                              auth: .bearer(.passwordForgotToken, token: forgot))
            #expect(reset.string("accountResetToken") != nil, "\(reset.raw)")
        }
    }

    @Test func aChangeTokenFinishesOnceEvenUnderConcurrency() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let start = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": try user.v1().authPW.hexString], auth: Auth.session(account.sessionToken))
            let changeToken = try #require(start.string("passwordChangeToken"))
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<3 {
                    let newUser = TestUser(user.email, password: "new password \(index)")
                    let body: [String: String] = [
                        "authPW": try newUser.v1().authPW.hexString, "wrapKb": account.kB.xor(try newUser.v1().unwrapBKey).hexString]
                    group.addTask {
                        try await server.call(.POST, "/v1/password/change/finish", json: body,
                                              auth: .bearer(.passwordChangeToken, token: changeToken)).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .unauthorized }.count == 2, "\(statuses)")
        }
    }

    @Test func withoutASessionAChangeCannotSkipSignInConfirmation() async throws {
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: true)
            // PyFxA 0.8's flow: start without a session, finish without a session id.
            let start = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": try user.v1().authPW.hexString])
            let changeToken = try #require(start.string("passwordChangeToken"), "\(start.raw)")
            let newUser = TestUser(user.email, password: "another new password")
            let finish = try await server.call(.POST, "/v1/password/change/finish", json: [
                "authPW": try newUser.v1().authPW.hexString, "wrapKb": account.kB.xor(try newUser.v1().unwrapBKey).hexString],
                auth: .bearer(.passwordChangeToken, token: changeToken))
            #expect(finish.status == .ok, "\(finish.raw)")
            #expect(finish.json["verified"] as? Bool == false)
        }
    }
}
