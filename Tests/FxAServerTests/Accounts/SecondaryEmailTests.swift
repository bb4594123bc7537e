import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// `/v1/recovery_email*`: adding, proving, promoting and removing addresses,
/// and signing in after the primary address changed.
@Suite("Secondary emails")
struct SecondaryEmailTests {
    private func add(_ server: TestServer, _ email: String, session: String) async throws -> APIResponse {
        try await server.call(.POST, "/v1/recovery_email", json: ["email": email], auth: Auth.session(session))
    }

    /// Adds and verifies `email` with the code mailed to it.
    private func addVerified(_ server: TestServer, _ email: String, session: String) async throws {
        let added = try await add(server, email, session: session)
        try #require(added.status == .ok, "add: \(added.raw)")
        let code = try #require(try await server.mailHeader("X-Verify-Code", to: email))
        let verified = try await server.call(
            .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": email, "code": code], auth: Auth.session(session))
        try #require(verified.status == .ok, "verify: \(verified.raw)")
    }

    @Test func anAddressIsProvedByItsCodeThenMadePrimaryWithAnEvent() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let newEmail = "new-\(UUID().uuidString.prefix(6).lowercased())@example.test"
            #expect(try await add(server, newEmail, session: account.sessionToken).status == .ok)
            let code = try #require(try await server.mailHeader("X-Verify-Code", to: newEmail), "the code goes to the new address")
            #expect(code.count == 6)
            var list = try await server.call(.GET, "/v1/recovery_emails", auth: Auth.session(account.sessionToken))
            #expect(list.raw.contains(#""isPrimary":false"#) && list.raw.contains(#""verified":false"#), "\(list.raw)")

            let wrong = code == "000000" ? "000001" : "000000"
            expectError(try await server.call(
                .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": newEmail, "code": wrong],
                auth: Auth.session(account.sessionToken)), .badRequest, errno: 105)
            expectError(try await server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": newEmail], auth: Auth.session(account.sessionToken)),
                .badRequest, errno: 147)
            #expect(try await server.call(
                .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": newEmail, "code": code],
                auth: Auth.session(account.sessionToken)).status == .ok)

            #expect(try await server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": newEmail], auth: Auth.session(account.sessionToken)).status == .ok)
            list = try await server.call(.GET, "/v1/recovery_emails", auth: Auth.session(account.sessionToken))
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.raw.utf8)) as? [[String: Any]])
            #expect(entries.first?["email"] as? String == newEmail && entries.first?["isPrimary"] as? Bool == true)
            #expect(entries.contains { $0["email"] as? String == user.email && $0["verified"] as? Bool == true })
            let status = try await server.call(.GET, "/v1/recovery_email/status", auth: Auth.session(account.sessionToken))
            #expect(status.string("email") == newEmail)
            let uid = try #require(AccountUID(hex: account.uid))
            let events = try await server.dependencies.stores.outbox.events(uid: uid)
            #expect(events.contains { $0.kind == .profileChange && $0.payload["email"] == .string(newEmail) })
            // Mail now goes to the new primary address.
            let forgot = try await server.call(.POST, "/v1/password/forgot/send_otp", json: ["email": newEmail])
            #expect(forgot.status == .ok, "\(forgot.raw)")
            #expect(try await server.mailHeader("X-Password-Forgot-Otp", to: newEmail) != nil)
        }
    }

    @Test func signInAfterAPrimaryChangeHashesWithTheSignUpAddress() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let newEmail = "moved-\(UUID().uuidString.prefix(6).lowercased())@example.test"
            try await addVerified(server, newEmail, session: account.sessionToken)
            #expect(try await server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": newEmail], auth: Auth.session(account.sessionToken)).status == .ok)

            // Stretched with the typed (new) address: 120 names the address to hash with.
            let typed = TestUser(newEmail, password: user.password)
            let first = try await server.call(.POST, "/v1/account/login", json: [
                "email": newEmail, "authPW": try typed.v1().authPW.hexString, "reason": "login"])
            expectError(first, .badRequest, errno: 120)
            #expect(first.string("email") == user.email)
            // The retry, as FxA's web client makes it.
            let retry = try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "originalLoginEmail": newEmail, "authPW": try user.v1().authPW.hexString, "reason": "login"])
            #expect(retry.status == .ok, "\(retry.raw)")
            #expect(retry.string("uid") == account.uid)
            // Another address as the hashing one, to get a fresh rate-limit
            // bucket for the same account, is refused before any password check.
            expectError(try await server.call(.POST, "/v1/account/login", json: [
                "email": "random-\(UUID().uuidString.prefix(6))@example.test", "originalLoginEmail": newEmail,
                "authPW": try user.v1().authPW.hexString, "reason": "login"]), .badRequest, errno: 102)
            // Naming the old address, now a secondary one, is refused.
            expectError(try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString, "reason": "login"]), .badRequest, errno: 142)
            // It still counts as taken.
            #expect(try await server.call(.POST, "/v1/account/status", json: ["email": user.email]).json["exists"] as? Bool == true)
            expectError(try await server.call(.POST, "/v1/account/create", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString]), .badRequest, errno: 144)
        }
    }

    @Test func refusalsCarryFxAsErrnos() async throws {
        // Many adds from one account: raise the mail-send limit, which the
        // rate-limit tests cover.
        try await withTestServer(configure: { $0.customs.emailsPerAddress = 100 }) { server in
            let alice = TestUser()
            let bob = TestUser()
            let a = try await server.signUp(alice)
            let b = try await server.signUp(bob)
            expectError(try await add(server, alice.email.uppercased(), session: a.sessionToken), .badRequest, errno: 139)
            expectError(try await add(server, bob.email, session: a.sessionToken), .badRequest, errno: 140)
            let shared = "shared-\(UUID().uuidString.prefix(6).lowercased())@example.test"
            try await addVerified(server, shared, session: b.sessionToken)
            expectError(try await add(server, shared, session: a.sessionToken), .badRequest, errno: 136)
            expectError(try await server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": shared], auth: Auth.session(a.sessionToken)),
                .badRequest, errno: 148)
            expectError(try await server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": "nobody@example.test"], auth: Auth.session(a.sessionToken)),
                .badRequest, errno: 143)
            let mine = ["m1", "m2", "m3"].map { "\($0)-\(UUID().uuidString.prefix(6).lowercased())@example.test" }
            for email in mine { #expect(try await add(server, email, session: a.sessionToken).status == .ok) }
            expectError(try await add(server, mine[0], session: a.sessionToken), .badRequest, errno: 189)
            expectError(try await add(server, "m4@example.test", session: a.sessionToken), .badRequest, errno: 188)
            // A code mailed to one address does not verify another: the live
            // code (the newest, mailed to mine[2]) fails for mine[1]...
            let liveCode = try #require(try await server.mailHeader("X-Verify-Code", to: mine[2]))
            expectError(try await server.call(
                .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": mine[1], "code": liveCode],
                auth: Auth.session(a.sessionToken)), .badRequest, errno: 105)
            // ...and still works for its own address.
            #expect(try await server.call(
                .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": mine[2], "code": liveCode],
                auth: Auth.session(a.sessionToken)).status == .ok)
            expectError(try await server.call(
                .POST, "/v1/recovery_email/destroy", json: ["email": alice.email], auth: Auth.session(a.sessionToken)),
                .badRequest, errno: 137)
            #expect(try await server.call(
                .POST, "/v1/recovery_email/destroy", json: ["email": mine[2]], auth: Auth.session(a.sessionToken)).status == .ok)
            #expect(try await server.call(
                .POST, "/v1/recovery_email/destroy", json: ["email": "never@example.test"], auth: Auth.session(a.sessionToken)).status == .ok)
            expectError(try await server.call(
                .POST, "/v1/recovery_email/secondary/resend_code", json: ["email": "never@example.test"],
                auth: Auth.session(a.sessionToken)), .badRequest, errno: 150)
            expectError(try await server.call(.POST, "/v1/recovery_email", json: ["email": "not an email"], auth: Auth.session(a.sessionToken)),
                        .badRequest, errno: 107)
            expectError(try await server.call(.GET, "/v1/recovery_emails"), .unauthorized, errno: 110)
        }
    }

    @Test func anUnverifiedSessionCannotTouchAddresses() async throws {
        // A sign-in that still awaits its emailed confirmation code.
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let user = TestUser()
            _ = try await server.signUp(user, v2: true)
            let login = try await server.call(.POST, "/v1/account/login", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString, "reason": "login"])
            let session = try #require(login.string("sessionToken"))
            expectError(try await add(server, "x-\(UUID().uuidString.prefix(6))@example.test", session: session), .badRequest, errno: 138)
        }
    }
}
