import FxACore
import FxAServer
import Foundation
import Testing

/// The emailed step-up code and the MFA token it buys: bound to one
/// session and one action, short-lived, and refused in every other shape.
@Suite("Two-step authentication: MFA tokens")
struct MFATokenTests {
    @Test func theStepUpCodeIsBoundToItsSessionAndAction() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let first = try await server.signUp(user).sessionToken
            let second = try #require(try await server.login(user).response.string("sessionToken"))
            let requested = try await server.call(
                .POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: .bearer(.sessionToken, token: first))
            #expect(requested.status == .ok)
            let code = try #require(try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email))
            let otherSession = try await server.call(
                .POST, "/v1/mfa/otp/verify", json: ["code": code, "action": "2fa"], auth: .bearer(.sessionToken, token: second))
            expectError(otherSession, .badRequest, errno: 183)
            let otherAction = try await server.call(
                .POST, "/v1/mfa/otp/verify", json: ["code": code, "action": "email"], auth: .bearer(.sessionToken, token: first))
            expectError(otherAction, .badRequest, errno: 183)
        }
    }

    @Test func aStepUpCodeWorksOnceAndExpires() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let auth = TestAuth.bearer(.sessionToken, token: session)
            _ = try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: auth)
            let code = try #require(try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email))
            let body: [String: Any] = ["code": code, "action": "2fa"]
            #expect(try await server.call(.POST, "/v1/mfa/otp/verify", json: body, auth: auth).status == .ok)
            expectError(try await server.call(.POST, "/v1/mfa/otp/verify", json: body, auth: auth), .badRequest, errno: 183)

            server.clock.advance(by: 1)
            _ = try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: auth)
            let late = try #require(try await server.mailHeader("X-Account-Change-Verify-Code", to: user.email))
            server.clock.advance(by: 301)
            let expired = try await server.call(.POST, "/v1/mfa/otp/verify", json: ["code": late, "action": "2fa"], auth: auth)
            expectError(expired, .badRequest, errno: 183)
        }
    }

    @Test func badStepUpRequestsGetFxAsErrnos() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let auth = TestAuth.bearer(.sessionToken, token: session)
            expectError(try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "teleport"], auth: auth), .badRequest, errno: 107)
            expectError(try await server.call(.POST, "/v1/mfa/otp/request", json: [:], auth: auth), .badRequest, errno: 108)
            expectError(try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "2fa"]), .unauthorized, errno: 110)
            expectError(
                try await server.call(.POST, "/v1/mfa/otp/verify", json: ["code": "12345", "action": "2fa"], auth: auth),
                .badRequest, errno: 107)

            let unverified = TestUser()
            let pending = try await server.signUp(unverified, verify: false).sessionToken
            let refused = try await server.call(
                .POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: .bearer(.sessionToken, token: pending))
            expectError(refused, .badRequest, errno: 104)
        }
    }

    @Test func theTokenIsRefusedForAnotherActionAfterItsSessionOrLifetimeEndsAndInAnyOtherShape() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let session = try await server.signUp(user).sessionToken
            let emailToken = try await server.mfaToken(user, session: session, action: "email")
            expectError(try await server.callWithMFA("/v1/mfa/totp/create", token: emailToken), .unauthorized, errno: 223)
            for header in ["", "Bearer ", "Bearer not.a.jwt", "Basic Zm9vOmJhcg=="] {
                let response = try await server.call(.POST, "/v1/mfa/totp/create", json: [:], auth: .header(header))
                expectError(response, .unauthorized, errno: 223)
            }
            let sessionAsBearer = try await server.call(
                .POST, "/v1/mfa/totp/create", json: [:], auth: .bearer(.sessionToken, token: session))
            expectError(sessionAsBearer, .unauthorized, errno: 223)

            let token = try await server.mfaToken(user, session: session)
            var parts = token.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].reversed())
            expectError(try await server.callWithMFA("/v1/mfa/totp/create", token: parts.joined(separator: ".")), .unauthorized, errno: 223)

            server.clock.advance(by: 601)
            expectError(try await server.callWithMFA("/v1/mfa/totp/create", token: token), .unauthorized, errno: 223)

            let fresh = try await server.mfaToken(user, session: session)
            _ = try await server.call(.POST, "/v1/session/destroy", json: [:], auth: .bearer(.sessionToken, token: session))
            expectError(try await server.callWithMFA("/v1/mfa/totp/create", token: fresh), .unauthorized, errno: 223)
        }
    }

    /// A session from before two-step authentication was turned on has not
    /// given the second factor: it may not change the account's security
    /// until it does (FxA's errno 222).
    @Test func anOlderSessionMustGiveTheSecondFactorBeforeChangingIt() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let older = try #require(try await server.login(user).response.string("sessionToken"))
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let auth = TestAuth.bearer(.sessionToken, token: older)
            expectError(try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: auth), .badRequest, errno: 222)
            expectError(try await server.call(.POST, "/v1/totp/destroy", json: [:], auth: auth), .badRequest, errno: 222)
            let details = try #require(try await server.call(.GET, "/v1/session/status", auth: auth).json["details"] as? [String: Any])
            #expect(details["sessionVerified"] as? Bool == true)
            #expect(details["sessionVerificationMeetsMinimumAAL"] as? Bool == false)

            let stepped = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: auth)
            #expect(stepped.json["success"] as? Bool == true, "the older session steps up with the app's code")
            #expect(try await server.call(.POST, "/v1/mfa/otp/request", json: ["action": "2fa"], auth: auth).status == .ok)
        }
    }
}
