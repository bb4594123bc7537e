import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// FxA's current sign-up: `verificationMethod: "email-otp"` mails six
/// digits (`X-Verify-Short-Code`), confirmed with the session at
/// `/session/verify_code`; without it the 32-hex code PyFxA reads from
/// `X-Verify-Code` keeps working at `/recovery_email/verify_code`.
@Suite("Short sign-up codes")
struct ShortSignupCodeTests {
    static func create(_ server: TestServer, _ user: TestUser, method: String? = "email-otp", keys: Bool = false)
        async throws -> APIResponse {
        var body: [String: Any] = ["email": user.email, "authPW": try user.v1().authPW.hexString]
        if let method { body["verificationMethod"] = method }
        return try await server.call(.POST, "/v1/account/create" + (keys ? "?keys=true" : ""), json: body)
    }

    @Test func aSixDigitCodeConfirmsTheEmailAndTheSession() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let created = try await Self.create(server, user, keys: true)
            #expect(created.status == .ok, "\(created.raw)")
            #expect(created.json["verified"] as? Bool == false)
            let session = Auth.session(try #require(created.string("sessionToken")))
            let keyFetch = try #require(created.string("keyFetchToken"))

            let code = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            #expect(try await server.mailHeader("X-Verify-Code", to: user.email) == nil, "one code, of the kind asked for")
            let mail = try #require(try await server.mailTemplates(to: user.email).first)
            #expect(mail == "verifyShortCode")

            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session).raw == "{}")
            let status = try await server.call(.GET, "/v1/recovery_email/status", auth: session)
            #expect(status.json["verified"] as? Bool == true && status.json["emailVerified"] as? Bool == true)
            // The key-fetch token issued with the sign-up works now.
            let keys = try await server.call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetch))
            #expect(keys.status == .ok, "\(keys.raw)")
            // Spent: the account is confirmed, and a second sign-in is
            // verified without it (nothing is left to confirm with it).
            let again = try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString, "verificationMethod": "email-otp"])
            #expect(again.json["verified"] as? Bool == true)
        }
    }

    @Test func wrongMalformedAndMisroutedCodesAreRefused() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let created = try await Self.create(server, user)
            let uid = try #require(created.string("uid"))
            let session = Auth.session(try #require(created.string("sessionToken")))
            let code = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            let wrong = code == "000000" ? "111111" : "000000"

            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": wrong], auth: session),
                        .badRequest, errno: 183)
            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": "12ab56"], auth: session),
                        .badRequest, errno: 107)
            // The 32-hex route does not take six digits.
            expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: ["uid": uid, "code": code]),
                        .badRequest, errno: 107)
            // Another account's session cannot spend it.
            let other = try await server.signUp(TestUser(), verify: false)
            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code],
                                              auth: Auth.session(other.sessionToken)), .badRequest, errno: 183)
            // An unknown method is a bad parameter, not a silent default.
            let refused = try await Self.create(server, TestUser(), method: "sms")
            expectError(refused, .badRequest, errno: 107)
            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session).status == .ok)
        }
    }

    @Test func theCodeIsBurntAfterTooManyWrongGuesses() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let session = Auth.session(try #require(try await Self.create(server, user).string("sessionToken")))
            let code = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<5 {
                expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": wrong], auth: session),
                            .badRequest, errno: 183)
            }
            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session),
                        .badRequest, errno: 183)
        }
    }

    @Test func theShortCodeExpiresWithinTheHour() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = Auth.session(try #require(try await Self.create(server, user).string("sessionToken")))
            let code = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            server.clock.advance(by: 3601)
            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session),
                        .badRequest, errno: 183)
        }
    }

    /// `/session/resend_code` sends the kind its route confirms (FxA does
    /// the same), replacing the earlier code of either kind; the older
    /// `/recovery_email/resend_code` keeps sending the 32-hex one.
    @Test func resendingSendsTheKindTheRouteConfirms() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, verify: false)
            let session = Auth.session(account.sessionToken)
            let hex = try #require(try await server.mailHeader("X-Verify-Code", to: user.email))
            #expect(hex.count == 32)

            server.clock.advance(by: 1)
            #expect(try await server.call(.POST, "/v1/session/resend_code", json: [:], auth: session).status == .ok)
            let short = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: ["uid": account.uid, "code": hex]),
                        .badRequest, errno: 105)
            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": short], auth: session).status == .ok)
        }
    }

    @Test func signingInBeforeConfirmingMailsTheKindAskedFor() async throws {
        try await withTestServer { server in
            let user = TestUser()
            _ = try await Self.create(server, user, method: nil)
            server.clock.advance(by: 1)
            let login = try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString, "verificationMethod": "email-otp"])
            #expect(login.status == .ok && login.json["verified"] as? Bool == false, "\(login.raw)")
            #expect(login.string("verificationReason") == "signup")
            let code = try #require(try await server.mailHeader("X-Verify-Short-Code", to: user.email))
            let session = Auth.session(try #require(login.string("sessionToken")))
            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session).status == .ok)
            let again = try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString])
            #expect(again.json["verified"] as? Bool == true)
        }
    }
}
