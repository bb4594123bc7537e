import FxACore
import FxAServer
import Foundation
import Testing

/// Turning two-step authentication on and off, through today's MFA-token
/// routes (PyFxA 0.9) and the session-token routes older clients call
/// (PyFxA 0.8.2).
@Suite("Two-step authentication: setup")
struct TOTPSetupTests {
    @Test func todaysSetupTurnsItOnForTheSessionThatDidIt() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let session = account.sessionToken
            let token = try await server.mfaToken(user, session: session)
            #expect(token.hasPrefix("eyJ"), "a JWT, as FxA's clients expect")

            let created = try await server.callWithMFA("/v1/mfa/totp/create", token: token)
            let secret = try #require(created.string("secret"))
            #expect(secret.count == 32 && Base32.decode(secret)?.count == 20)
            let uri = try #require(created.string("qrCodeUrl"))
            #expect(uri.hasPrefix("otpauth://totp/accounts.example.test:") && uri.contains("secret=\(secret)"))
            #expect(uri.hasSuffix("&issuer=accounts.example.test"))
            let again = try await server.callWithMFA("/v1/mfa/totp/create", token: token)
            #expect(again.string("secret") == secret, "the pending secret again, as PyFxA 0.9's test expects")
            let pending = try await server.call(.GET, "/v1/totp/exists", auth: .bearer(.sessionToken, token: session))
            #expect(pending.json["exists"] as? Bool == false, "a pending setup does not exist yet")

            let complete = try await server.callWithMFA("/v1/mfa/totp/setup/complete", token: token)
            expectError(complete, .badRequest, errno: 152)
            let wrong = try await server.callWithMFA(
                "/v1/mfa/totp/setup/verify", token: token, json: ["code": try server.authenticatorCode(secret, steps: 5)])
            expectError(wrong, .badRequest, errno: 152)
            let verified = try await server.callWithMFA(
                "/v1/mfa/totp/setup/verify", token: token, json: ["code": try server.authenticatorCode(secret)])
            #expect(verified.json["success"] as? Bool == true)
            let completed = try await server.callWithMFA("/v1/mfa/totp/setup/complete", token: token)
            #expect(completed.json["success"] as? Bool == true, "\(completed.raw)")

            let exists = try await server.call(.GET, "/v1/totp/exists", auth: .bearer(.sessionToken, token: session))
            #expect(exists.json["exists"] as? Bool == true && exists.json["verified"] as? Bool == true)
            expectError(try await server.callWithMFA("/v1/mfa/totp/create", token: token), .badRequest, errno: 154)
            #expect(try await server.mailTemplates(to: user.email).contains("postAddTwoStepAuthentication"))

            let status = try await server.call(.GET, "/v1/session/status", auth: .bearer(.sessionToken, token: session))
            let details = try #require(status.json["details"] as? [String: Any])
            #expect(status.string("state") == "verified")
            #expect(details["sessionVerificationMethod"] as? String == "totp-2fa")
            #expect(details["sessionVerificationMeetsMinimumAAL"] as? Bool == true)
            let profile = try await server.call(.GET, "/v1/account/profile", auth: .bearer(.sessionToken, token: session))
            #expect(profile.json["authenticationMethods"] as? [String] == ["pwd", "otp"])
            #expect(profile.json["authenticatorAssuranceLevel"] as? Int == 2)
            let events = try await server.dependencies.stores.outbox.events(uid: try #require(AccountUID(hex: account.uid)))
            #expect(events.map(\.kind).contains(.profileChange), "relying parties hear of it as FxA tells them")
        }
    }

    @Test func turningItOffNeedsAnMFATokenAndLeavesTheSessionEmailVerified() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            _ = try await server.enableTwoStep(user, session: session)
            let token = try await server.mfaToken(user, session: session)
            let destroyed = try await server.callWithMFA("/v1/mfa/totp/destroy", token: token)
            #expect(destroyed.status == .ok && destroyed.raw == "{}", "\(destroyed.raw)")
            let exists = try await server.call(.GET, "/v1/totp/exists", auth: .bearer(.sessionToken, token: session))
            #expect(exists.json["exists"] as? Bool == false)
            #expect(try await server.mailTemplates(to: user.email).contains("postRemoveTwoStepAuthentication"))
            let status = try await server.call(.GET, "/v1/session/status", auth: .bearer(.sessionToken, token: session))
            let details = try #require(status.json["details"] as? [String: Any])
            #expect(details["sessionVerificationMethod"] as? String == "email-2fa")
            let login = try await server.login(user).response
            #expect(login.json["verified"] as? Bool == true, "signing in asks for the password only again")
        }
    }

    /// PyFxA 0.8.2's `test_totp`: create with the session token, where the
    /// pending secret already exists and its first sign-in code turns it on.
    @Test func theSessionTokenRoutesOfOlderClientsStillWork() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let auth = TestAuth.bearer(.sessionToken, token: session)
            let first = try await server.call(.POST, "/v1/totp/create", json: [:], auth: auth)
            #expect(first.string("secret") != nil, "\(first.raw)")
            let exists = try await server.call(.GET, "/v1/totp/exists", auth: auth)
            #expect(exists.json["exists"] as? Bool == true && exists.json["verified"] as? Bool == false)
            let second = try await server.call(.POST, "/v1/totp/create", json: [:], auth: auth)
            let secret = try #require(second.string("secret"))
            #expect(secret != first.string("secret"), "a new secret each time, as the old API gave")

            let verified = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: auth)
            #expect(verified.json["success"] as? Bool == true, "\(verified.raw)")
            let enabled = try await server.call(.GET, "/v1/totp/exists", auth: auth)
            #expect(enabled.json["verified"] as? Bool == true)
            expectError(try await server.call(.POST, "/v1/totp/create", json: [:], auth: auth), .badRequest, errno: 154)

            let destroyed = try await server.call(.POST, "/v1/totp/destroy", json: [:], auth: auth)
            #expect(destroyed.status == .ok, "\(destroyed.raw)")
            #expect(try await server.call(.GET, "/v1/totp/exists", auth: auth).json["exists"] as? Bool == false)
        }
    }

    /// A secret being set up is shown only to the session that began it:
    /// another signed-in session (perhaps not the user's) gets a new one,
    /// which replaces it, and can never finish the first one.
    @Test func anotherSessionNeverSeesThePendingSecret() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let other = try #require(try await server.login(user).response.string("sessionToken"))
            let token = try await server.mfaToken(user, session: account.sessionToken)
            let secret = try #require(try await server.callWithMFA("/v1/mfa/totp/create", token: token).string("secret"))
            let otherToken = try await server.mfaToken(user, session: other)
            let verify = try await server.callWithMFA(
                "/v1/mfa/totp/setup/verify", token: otherToken, json: ["code": try server.authenticatorCode(secret)])
            expectError(verify, .badRequest, errno: 155)
            let theirs = try #require(try await server.callWithMFA("/v1/mfa/totp/create", token: otherToken).string("secret"))
            #expect(theirs != secret, "a new secret, never the first session's")
        }
    }

    @Test func aPendingSetupLapsesAfterAnHour() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let token = try await server.mfaToken(user, session: session)
            let secret = try #require(try await server.callWithMFA("/v1/mfa/totp/create", token: token).string("secret"))
            server.clock.advance(by: 3601)
            let late = try await server.mfaToken(user, session: session)
            let verify = try await server.callWithMFA(
                "/v1/mfa/totp/setup/verify", token: late, json: ["code": try server.authenticatorCode(secret)])
            expectError(verify, .badRequest, errno: 155)
            let fresh = try await server.callWithMFA("/v1/mfa/totp/create", token: late)
            #expect(fresh.string("secret") != secret, "a new secret after the old setup lapsed")
        }
    }
}
