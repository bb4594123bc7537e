import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// Operator policies: sign-up rules, auto-verify, sign-in confirmation,
/// rate limits and the production mailbox switch.
@Suite("Account policies")
struct AccountPolicyTests {
    static func createBody(_ email: String) -> [String: Any] {
        ["email": email, "authPW": Hex32.random().hex]
    }

    @Test func closedSignUpRefusesEveryoneAndAllowListOnlyOthers() async throws {
        try await withTestServer(configure: { $0.accountPolicy.signup = .closed }) { server in
            let response = try await server.call(.POST, "/v1/account/create", json: Self.createBody("a@example.test"))
            expectError(response, .forbidden, errno: 202)
        }
        let allow = try #require(SignupPolicy(configuration: "boss@corp.test, @team.test"))
        try await withTestServer(configure: { $0.accountPolicy.signup = allow }) { server in
            expectError(try await server.call(.POST, "/v1/account/create", json: Self.createBody("eve@corp.test")), .forbidden, errno: 202)
            #expect(try await server.call(.POST, "/v1/account/create", json: Self.createBody("Boss@Corp.test")).status == .ok)
            #expect(try await server.call(.POST, "/v1/account/create", json: Self.createBody("ann@team.test")).status == .ok)
            expectError(try await server.call(.POST, "/v1/account/create", json: Self.createBody("ann@evil-team.test")), .forbidden, errno: 202)
        }
    }

    @Test func autoVerifyMakesNewAccountsVerifiedWithoutMail() async throws {
        try await withTestServer(configure: { $0.accountPolicy.autoVerify = true }) { server in
            let user = TestUser()
            let created = try await server.call(.POST, "/v1/account/create", json: ["email": user.email, "authPW": try user.v1().authPW.hexString])
            #expect(created.json["verified"] as? Bool == true)
            #expect(try await server.mailHeader("X-Verify-Code", to: user.email) == nil)
        }
    }

    @Test func confirmedSignInsNeedTheEmailedCode() async throws {
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let user = TestUser()
            // v2, so the sign-up itself knows kB without an (unconfirmed) login.
            _ = try await server.signUp(user, v2: true, verify: true)
            let login = try await server.call(.POST, "/v1/account/login?keys=true", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString])
            #expect(login.json["verified"] as? Bool == false)
            let keyFetch = try #require(login.string("keyFetchToken"))
            expectError(try await server.call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetch)),
                        .badRequest, errno: 138)
            #expect(login.string("verificationMethod") == "email-otp")
            let session = Auth.session(try #require(login.string("sessionToken")))
            let code = try #require(try await server.mailHeader("X-Signin-Verify-Code", to: user.email))
            #expect(code.count == 6)

            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": "12ab56"], auth: session), .badRequest, errno: 107)
            let wrong = code == "000000" ? "111111" : "000000"
            expectError(try await server.call(.POST, "/v1/session/verify_code", json: ["code": wrong], auth: session), .badRequest, errno: 183)
            #expect(try await server.call(.GET, "/v1/session/status", auth: session).string("state") == "unverified")
            let change = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": try user.v1().authPW.hexString], auth: session)
            expectError(change, .badRequest, errno: 138)

            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": code], auth: session).raw == "{}")
            #expect(try await server.call(.GET, "/v1/session/status", auth: session).string("state") == "verified")
            // Confirming the sign-in also unlocks the key-fetch token issued with it.
            #expect(try await server.fetchKB(keyFetchToken: keyFetch, stretched: try user.v1()).count == 32)

            // A resend replaces the code. (The manual clock stands still;
            // step it so the mailbox can tell the newest message.)
            server.clock.advance(by: 1)
            let (second, _) = try await server.login(user)
            server.clock.advance(by: 1)
            let secondSession = Auth.session(try #require(second.string("sessionToken")))
            #expect(try await server.call(.POST, "/v1/session/resend_code", json: [:], auth: secondSession).status == .ok)
            let resent = try #require(try await server.mailHeader("X-Signin-Verify-Code", to: user.email))
            #expect(try await server.call(.POST, "/v1/session/verify_code", json: ["code": resent], auth: secondSession).status == .ok)
        }
    }

    @Test func loginsOverTheLimitGetErrno114WithRetryAfter() async throws {
        try await withTestServer(configure: { $0.customs = CustomsPolicy(passwordAttemptsPerEmail: 3) }) { server in
            let body: [String: Any] = ["email": "target@example.test", "authPW": Hex32.random().hex]
            for _ in 0..<3 {
                expectError(try await server.call(.POST, "/v1/account/login", json: body), .badRequest, errno: 102)
            }
            let throttled = try await server.call(.POST, "/v1/account/login", json: body)
            expectError(throttled, .tooManyRequests, errno: 114)
            let retryAfter = try #require(throttled.json["retryAfter"] as? Int)
            #expect(retryAfter > 0 && retryAfter <= 900)
            #expect(throttled.headers.first(name: .retryAfter) == String(retryAfter))
            // Another email is not affected; the window passing lifts the limit.
            expectError(try await server.call(.POST, "/v1/account/login", json: ["email": "other@example.test", "authPW": Hex32.random().hex]),
                        .badRequest, errno: 102)
            server.clock.advance(by: 901)
            expectError(try await server.call(.POST, "/v1/account/login", json: body), .badRequest, errno: 102)
        }
    }

    @Test func codeGuessesAndMailsAreLimitedToo() async throws {
        try await withTestServer(configure: { $0.customs = CustomsPolicy(codeAttemptsPerAccount: 2, emailsPerAddress: 1) }) { server in
            let user = TestUser()
            let account = try await server.signUp(user, verify: false)
            for _ in 0..<2 {
                expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: [
                    "uid": account.uid, "code": Hex32.random().hex.prefix(32)]), .badRequest, errno: 105)
            }
            expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: [
                "uid": account.uid, "code": Hex32.random().hex.prefix(32)]), .tooManyRequests, errno: 114)
            let session = Auth.session(account.sessionToken)
            #expect(try await server.call(.POST, "/v1/recovery_email/resend_code", json: [:], auth: session).status == .ok)
            expectError(try await server.call(.POST, "/v1/recovery_email/resend_code", json: [:], auth: session), .tooManyRequests, errno: 114)
        }
    }

    @Test func aCodeIsBurntAfterTooManyWrongGuesses() async throws {
        try await withTestServer(configure: { $0.customs = .off }) { server in
            let user = TestUser()
            let account = try await server.signUp(user, verify: false)
            let code = try #require(try await server.mailHeader("X-Verify-Code", to: user.email))
            for _ in 0..<5 {
                expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: [
                    "uid": account.uid, "code": String(repeating: "f", count: 32)]), .badRequest, errno: 105)
            }
            expectError(try await server.call(.POST, "/v1/recovery_email/verify_code", json: ["uid": account.uid, "code": code]),
                        .badRequest, errno: 105)
        }
    }

    @Test func productionModeServesNoMailbox() async throws {
        try await withTestServer(configure: {
            $0.mode = .production
            $0.smtp = try SMTPSettings(url: "smtp://127.0.0.1:1", from: "accounts@example.test")
        }) { server in
            expectError(try await server.call(.GET, "/mail/someone"), .notFound, errno: 999)
            expectError(try await server.call(.GET, "/__mail__"), .notFound, errno: 999)
        }
        try await withTestServer { server in
            let mailbox = try await server.call(.GET, "/mail/someone")
            #expect(mailbox.status == .ok)
        }
    }

    @Test func mailThatCannotBeSentIsErrno151NotASilentSuccess() async throws {
        try await withTestServer(configure: {
            $0.mode = .production
            $0.smtp = try SMTPSettings(url: "smtp://127.0.0.1:1", from: "accounts@example.test")
        }) { server in
            let response = try await server.call(.POST, "/v1/account/create", json: Self.createBody("a@example.test"))
            expectError(response, .internalServerError, errno: 151)
            #expect(!response.raw.contains("127.0.0.1"))
        }
    }
}
