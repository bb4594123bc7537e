import FxACore
import FxAServer
import Foundation
import Testing

/// Backup authentication codes: made with two-step authentication only,
/// shown once, each spent by one sign-in, replaced whole, gone with it.
@Suite("Two-step authentication: backup codes")
struct BackupCodeTests {
    @Test func aBackupCodeSignsInOnceInPlaceOfTheApp() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            let made = try await server.call(.GET, "/v1/recoveryCodes", auth: auth)
            let codes = try #require(made.json["recoveryCodes"] as? [String], "\(made.raw)")
            #expect(codes.count == 8 && Set(codes).count == 8)
            #expect(codes.allSatisfy { $0.count == 10 && $0.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) } })
            let exists = try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth)
            #expect(exists.json["hasBackupCodes"] as? Bool == true && exists.json["count"] as? Int == 8)
            #expect(try await server.mailTemplates(to: user.email).contains("postNewRecoveryCodes"))

            let login = try await server.login(user, keys: false).response
            let session = try #require(login.string("sessionToken"))
            let sessionAuth = TestAuth.bearer(.sessionToken, token: session)
            // Typed in capitals with a dash, as people copy codes.
            let typed = codes[0].prefix(5).uppercased() + "-" + codes[0].dropFirst(5).uppercased()
            let used = try await server.call(.POST, "/v1/session/verify/recoveryCode", json: ["code": typed], auth: sessionAuth)
            #expect(used.json["remaining"] as? Int == 7, "\(used.raw)")
            let details = try #require(try await server.call(.GET, "/v1/session/status", auth: sessionAuth).json["details"] as? [String: Any])
            #expect(details["sessionVerificationMethod"] as? String == "recovery-code")
            #expect(details["sessionVerificationMeetsMinimumAAL"] as? Bool == true)
            #expect(try await server.mailTemplates(to: user.email).contains("postSigninRecoveryCode"))

            let other = try #require(try await server.login(user).response.string("sessionToken"))
            let again = try await server.call(
                .POST, "/v1/session/verify/recoveryCode", json: ["code": codes[0]], auth: .bearer(.sessionToken, token: other))
            expectError(again, .badRequest, errno: 156)
            expectError(
                try await server.call(.POST, "/v1/session/verify/recoveryCode", json: ["code": "bad!code"], auth: .bearer(.sessionToken, token: other)),
                .badRequest, errno: 107)
        }
    }

    @Test func fewCodesLeftIsMailedAndANewSetReplacesTheOld() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            let codes = try #require(try await server.call(.GET, "/v1/recoveryCodes", auth: auth).json["recoveryCodes"] as? [String])
            for code in codes.prefix(6) {
                let session = try #require(try await server.login(user).response.string("sessionToken"))
                _ = try await server.call(.POST, "/v1/session/verify/recoveryCode", json: ["code": code], auth: .bearer(.sessionToken, token: session))
            }
            #expect(try await server.mailTemplates(to: user.email).contains("lowRecoveryCodes"), "two left")

            let fresh = try #require(try await server.call(.GET, "/v1/recoveryCodes", auth: auth).json["recoveryCodes"] as? [String])
            let session = try #require(try await server.login(user).response.string("sessionToken"))
            expectError(
                try await server.call(.POST, "/v1/session/verify/recoveryCode", json: ["code": codes[7]], auth: .bearer(.sessionToken, token: session)),
                .badRequest, errno: 156)
            let used = try await server.call(
                .POST, "/v1/session/verify/recoveryCode", json: ["code": fresh[0]], auth: .bearer(.sessionToken, token: session))
            #expect(used.json["remaining"] as? Int == 7)
        }
    }

    @Test func codesExistOnlyWithTwoStepAuthentication() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            expectError(try await server.call(.GET, "/v1/recoveryCodes", auth: auth), .badRequest, errno: 155)
            let clientMade = (0..<8).map { _ in String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12)).lowercased() }
            // FxA's settings post their own codes while setting up.
            let posted = try await server.call(.POST, "/v1/recoveryCodes", json: ["recoveryCodes": clientMade], auth: auth)
            #expect(posted.json["success"] as? Bool == true, "\(posted.raw)")
            expectError(try await server.call(.PUT, "/v1/recoveryCodes", json: ["recoveryCodes": clientMade], auth: auth), .badRequest, errno: 155)
            for bad: [String] in [[], ["short"], ["not-alnum!!"], Array(repeating: "abcdefgh12", count: 2)] {
                let refused = try await server.call(.POST, "/v1/recoveryCodes", json: ["recoveryCodes": bad], auth: auth)
                expectError(refused, .badRequest, errno: 107)
            }

            // Stored during a setup that is never finished, they sign nothing in.
            let waiting = try #require(try await server.login(user).response.string("sessionToken"))
            expectError(
                try await server.call(.POST, "/v1/session/verify/recoveryCode", json: ["code": clientMade[0]],
                                      auth: .bearer(.sessionToken, token: waiting)),
                .badRequest, errno: 156)

            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            expectError(try await server.call(.POST, "/v1/recoveryCodes", json: ["recoveryCodes": clientMade], auth: auth), .badRequest, errno: 154)
            let replaced = try await server.call(.PUT, "/v1/recoveryCodes", json: ["recoveryCodes": clientMade], auth: auth)
            #expect(replaced.json["success"] as? Bool == true, "\(replaced.raw)")
            #expect(try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth).json["count"] as? Int == 8)

            let token = try await server.mfaToken(user, session: account.sessionToken)
            _ = try await server.callWithMFA("/v1/mfa/totp/destroy", token: token)
            let gone = try await server.call(.GET, "/v1/recoveryCodes/exists", auth: auth)
            #expect(gone.json["hasBackupCodes"] as? Bool == false, "turning it off deletes the codes")
        }
    }
}
