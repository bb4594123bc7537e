import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Bad inputs get FxA's errno, never a 500 and never an account.
@Suite("Account input validation")
struct AccountInputTests {
    static let authPW = String(repeating: "ab", count: 32)

    @Test(arguments: [
        ([String: String](), 108),
        (["email": "a@example.test"], 108),
        (["authPW": authPW], 108),
        (["email": "not-an-email", "authPW": authPW], 107),
        (["email": "a@example.test", "authPW": "abcd"], 107),
        (["email": "a@example.test", "authPW": String(repeating: "zz", count: 32)], 107),
        (["email": "a@example.test", "authPW": authPW, "clientSalt": "identity.mozilla.com/picl/v1/quickStretchV2:" + String(repeating: "0", count: 32)], 108),
    ])
    func createRejectsMissingAndMalformedFields(body: [String: String], errno: Int) async throws {
        try await withTestServer { server in
            let response = try await server.call(.POST, "/v1/account/create", json: body)
            expectError(response, .badRequest, errno: errno)
            let count = try await server.dependencies.stores.accounts.accounts(afterEmail: nil, limit: 10).count
            #expect(count == 0)
        }
    }

    @Test func aSecondSignUpWithTheSameEmailInAnyCaseIsErrno101() async throws {
        try await withTestServer { server in
            let user = TestUser("dup@example.test")
            _ = try await server.signUp(user, verify: false)
            let again = try await server.call(.POST, "/v1/account/create", json: [
                "email": "DUP@example.test", "authPW": Self.authPW])
            expectError(again, .badRequest, errno: 101)
        }
    }

    @Test func oneAddressInComposedAndDecomposedFormIsOneAccount() async throws {
        try await withTestServer { server in
            let decomposed = TestUser("jose\u{301}@example.test")
            _ = try await server.signUp(decomposed)
            let composed = try await server.call(.POST, "/v1/account/create", json: ["email": "Jos\u{E9}@example.test", "authPW": Self.authPW])
            expectError(composed, .badRequest, errno: 101)
            // Signing in with the other spelling finds the account and, as
            // with another case, is told the spelling its salt was made with.
            let other = try await server.login(TestUser("jos\u{E9}@example.test", password: decomposed.password)).response
            expectError(other, .badRequest, errno: 120)
            #expect(other.string("email").map { Array($0.utf8) } == Array(decomposed.email.utf8))
        }
    }

    @Test(arguments: [
        "a\u{200B}b@example.test", "ab\u{202E}@example.test", "a\u{2066}b@example.test", "a\u{FEFF}b@example.test",
        "a\u{00AD}b@example.test", "ab@exa\u{200D}mple.test", "a\u{E000}b@example.test", "a\u{3000}b@example.test",
    ])
    func invisibleAndDirectionCharactersAreRefused(email: String) async throws {
        try await withTestServer { server in
            expectError(try await server.call(.POST, "/v1/account/create", json: ["email": email, "authPW": Self.authPW]),
                        .badRequest, errno: 107)
            #expect(try await server.dependencies.stores.accounts.accounts(afterEmail: nil, limit: 10).isEmpty)
        }
    }

    @Test func loginErrorsSayWhatWentWrong() async throws {
        try await withTestServer { server in
            let user = TestUser("Case@example.test")
            _ = try await server.signUp(user)
            expectError(try await server.login(TestUser("nobody@example.test")).response, .badRequest, errno: 102)
            expectError(try await server.login(TestUser("Case@example.test", password: "wrong password")).response, .badRequest, errno: 103)
            // v1 salts with the email as typed at sign-up: another case is errno 120 with the right email.
            let otherCase = try await server.login(TestUser("case@example.test", password: user.password)).response
            expectError(otherCase, .badRequest, errno: 120)
            #expect(otherCase.string("email") == "Case@example.test")
        }
    }

    @Test func keysQueryMustBeABoolean() async throws {
        try await withTestServer { server in
            let response = try await server.call(.POST, "/v1/account/login?keys=yes", json: [
                "email": "a@example.test", "authPW": Self.authPW])
            expectError(response, .badRequest, errno: 107)
        }
    }

    @Test func accountStatusByUIDNeedsAWellFormedUID() async throws {
        try await withTestServer { server in
            expectError(try await server.call(.GET, "/v1/account/status"), .badRequest, errno: 108)
            expectError(try await server.call(.GET, "/v1/account/status?uid=xyz"), .badRequest, errno: 107)
        }
    }
}
