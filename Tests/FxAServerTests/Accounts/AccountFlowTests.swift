import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// The account lifecycle as a client sees it: sign-up, verification,
/// sign-in with keys, deletion, for both key-stretching versions.
@Suite("Account flows")
struct AccountFlowTests {
    @Test(arguments: [false, true])
    func signUpVerifyLoginAndFetchTheSameKB(v2: Bool) async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: v2)
            let (login, kB) = try await server.login(user, salt: account.salt, keys: true)
            #expect(login.json["verified"] as? Bool == true)
            #expect(kB == account.kB)
            #expect(login.string("uid") == account.uid)
        }
    }

    @Test func aV2AccountAcceptsAV1LoginAndUnwrapsTheSameKB() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user, v2: true)
            let (login, kB) = try await server.login(user, keys: true)
            #expect(login.status == .ok)
            #expect(kB == account.kB)
            let status = try await server.call(.POST, "/v1/account/credentials/status", json: ["email": user.email])
            #expect(status.string("currentVersion") == "v2")
            #expect(status.string("clientSalt") == account.salt?.rawValue)
        }
    }

    @Test func keysOfAnUnverifiedAccountAreRefusedUntilTheEmailIsConfirmed() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let created = try await server.call(
                .POST, "/v1/account/create?keys=true", json: ["email": user.email, "authPW": try user.v1().authPW.hexString])
            let keyFetch = try #require(created.string("keyFetchToken"))
            #expect(created.json["verified"] as? Bool == false)
            let early = try await server.call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetch))
            expectError(early, .badRequest, errno: 104)

            let code = try #require(try await server.mailHeader("X-Verify-Code", to: user.email))
            let wrong = try await server.call(.POST, "/v1/recovery_email/verify_code", json: [
                "uid": try #require(created.string("uid")), "code": String(repeating: "0", count: 32)])
            expectError(wrong, .badRequest, errno: 105)
            let verified = try await server.call(.POST, "/v1/recovery_email/verify_code", json: [
                "uid": try #require(created.string("uid")), "code": code])
            #expect(verified.status == .ok)
            #expect(verified.raw == "{}")

            // The key-fetch token from sign-up works once, and only once.
            _ = try await server.fetchKB(keyFetchToken: keyFetch, stretched: try user.v1())
            let again = try await server.call(.GET, "/v1/account/keys", auth: .bearer(.keyFetchToken, token: keyFetch))
            expectError(again, .unauthorized, errno: 110)
        }
    }

    @Test func destroyingTheAccountEndsItsLoginsAndSessions() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let session = Auth.session(account.sessionToken)
            let destroyed = try await server.call(
                .POST, "/v1/account/destroy", json: ["email": user.email, "authPW": try user.v1().authPW.hexString], auth: session)
            #expect(destroyed.status == .ok)
            expectError(try await server.login(user).response, .badRequest, errno: 102)
            expectError(try await server.call(.GET, "/v1/session/status", auth: session), .unauthorized, errno: 110)
            let exists = try await server.call(.GET, "/v1/account/status?uid=\(account.uid)")
            #expect(exists.json["exists"] as? Bool == false)
        }
    }

    @Test func sessionStatusEmailStatusAndProfileDescribeTheSession() async throws {
        try await withTestServer { server in
            let user = TestUser("Mixed.Case@Example.test")
            let account = try await server.signUp(user)
            let session = Auth.session(account.sessionToken)
            let status = try await server.call(.GET, "/v1/session/status", auth: session)
            #expect(status.string("uid") == account.uid)
            #expect(status.string("state") == "verified")
            let email = try await server.call(.GET, "/v1/recovery_email/status", auth: session)
            #expect(email.string("email") == "Mixed.Case@Example.test")
            #expect(email.json["verified"] as? Bool == true)
            let profile = try await server.call(.GET, "/v1/account/profile", auth: session)
            #expect(profile.string("email") == "Mixed.Case@Example.test")
            #expect(profile.json["authenticationMethods"] as? [String] == ["pwd", "email"])
            let destroyed = try await server.call(.POST, "/v1/session/destroy", json: [:], auth: session)
            #expect(destroyed.raw == "{}")
            expectError(try await server.call(.GET, "/v1/session/status", auth: session), .unauthorized, errno: 110)
        }
    }

    @Test func randomBytesAreFreshEachTime() async throws {
        try await withTestServer { server in
            let first = try await server.call(.POST, "/v1/get_random_bytes")
            let second = try await server.call(.POST, "/v1/get_random_bytes")
            #expect(first.string("data")?.count == 64)
            #expect(first.string("data") != second.string("data"))
        }
    }
}

/// Shorthands for the auth a test sends.
enum Auth {
    static func session(_ token: String) -> TestAuth { .bearer(.sessionToken, token: token) }
}
