import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing

/// Once two-step authentication is on, a session that did not give the
/// second factor (one signed in before it was turned on) makes nothing new
/// until it gives a code: errno 222, as FxA's newest servers answer.
@Suite("Two-step authentication: the verified-session rule")
struct TwoStepSessionRuleTests {
    private func details(_ server: TestServer, _ session: String) async throws -> [String: Any] {
        try #require(try await server.call(.GET, "/v1/session/status", auth: Auth.session(session)).json["details"] as? [String: Any])
    }

    @Test func aSessionFromBeforeItMakesNothingNewUntilItGivesTheCode() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let user = TestUser()
            let account = try await server.signUp(user)
            let older = try #require(try await server.login(user).response.string("sessionToken"))
            _ = try await server.code(client, session: older)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)

            func attempts() async throws -> [(String, APIResponse)] {
                [
                    ("an authorization code", try await server.authorize(client, session: older)),
                    ("Firefox's own tokens", try await server.call(.POST, "/v1/oauth/token", json: [
                        "client_id": FirstPartyClients.firefoxDesktop.id.hex, "grant_type": "fxa-credentials", "scope": "profile",
                    ], auth: Auth.session(older))),
                    ("scoped-key data", try await server.call(
                        .POST, "/v1/account/scoped-key-data", json: ["client_id": client.id, "scope": "profile"], auth: Auth.session(older))),
                    ("email addresses", try await server.call(.GET, "/v1/recovery_emails", auth: Auth.session(older))),
                    ("a web session", try await server.call(
                        .POST, "/v1/web/session", json: [:], auth: Auth.session(older), headers: [("Origin", WebBrowser.origin)])),
                ]
            }
            for (what, response) in try await attempts() {
                #expect(response.status == .badRequest && response.errno == 222, "\(what): \(response.raw)")
            }
            #expect(try await details(server, older)["sessionVerificationMeetsMinimumAAL"] as? Bool == false)

            let stepped = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: Auth.session(older))
            #expect(stepped.json["success"] as? Bool == true, "\(stepped.raw)")
            for (what, response) in try await attempts() where what != "scoped-key data" {
                #expect(response.status == .ok, "\(what) after the code: \(response.raw)")
            }
        }
    }

    @Test func turningItOffForgetsEverySessionsSecondFactor() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let user = TestUser()
            let account = try await server.signUp(user)
            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let other = try #require(try await server.login(user).response.string("sessionToken"))
            _ = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)], auth: Auth.session(other))
            #expect(try await details(server, other)["sessionVerificationMethod"] as? String == "totp-2fa")

            let token = try await server.mfaToken(user, session: account.sessionToken)
            let destroyed = try await server.callWithMFA("/v1/mfa/totp/destroy", token: token)
            #expect(destroyed.status == .ok, "\(destroyed.raw)")
            #expect(try await details(server, other)["sessionVerificationMethod"] as? String == "email-2fa",
                    "every session, not only the one that turned it off")

            // On again with a new secret: the other session never gave its code.
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            expectError(try await server.authorize(client, session: other), .badRequest, errno: 222)
        }
    }

    @Test func theOperatorConfirmingAnAddressDoesNotConfirmSignInsWaitingForTheCode() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await server.enableTwoStep(user, session: account.sessionToken)
            let waiting = try #require(try await server.login(user).response.string("sessionToken"))
            _ = try await server.dependencies.accountAdministration().verify(email: try #require(EmailAddress(user.email)))
            let status = try await server.call(.GET, "/v1/session/status", auth: Auth.session(waiting))
            #expect(status.string("state") == "unverified", "\(status.raw)")
        }
    }
}
