import Foundation
import FxACore
import Testing
import Vapor

/// `grant_type=fxa-credentials`: Firefox's session asks for tokens directly.
@Suite("fxa-credentials grant")
struct FxACredentialsGrantTests {
    @Test("a trusted public client gets access, refresh and ID tokens for a verified session")
    func happyPath() async throws {
        try await withTestServer { server in
            let browser = try await server.registerClient(publicClient: true, trusted: true)
            let (session, uid) = try await server.verifiedSession()
            // No grant_type and no code: the session route defaults to fxa-credentials.
            let response = try await server.call(.POST, "/v1/oauth/token", json: [
                "client_id": browser.id, "scope": "profile openid", "access_type": "offline", "ttl": 60,
            ], auth: Auth.session(session))
            #expect(response.status == .ok, "\(response.raw)")
            #expect(response.string("token_type") == "bearer")
            #expect(response.json["expires_in"] as? Int == 60)
            #expect(response.json["auth_at"] is Int)
            #expect(response.string("id_token") != nil)
            let access = try #require(response.string("access_token"))
            let refresh = try #require(response.string("refresh_token"))
            let verified = try await server.call(.POST, "/v1/verify", json: ["token": access])
            #expect(verified.string("user") == uid)
            #expect(verified.string("client_id") == browser.id)

            let refreshed = try await server.token([
                "grant_type": "refresh_token", "client_id": browser.id, "refresh_token": refresh, "scope": "profile",
            ])
            #expect(refreshed.status == .ok, "\(refreshed.raw)")
            #expect(refreshed.string("scope") == "profile")

            // /v1/token accepts the grant with a session too.
            let online = try await server.call(.POST, "/v1/token", json: [
                "grant_type": "fxa-credentials", "client_id": browser.id, "scope": "profile",
            ], auth: Auth.session(session))
            #expect(online.status == .ok, "\(online.raw)")
            #expect(online.string("refresh_token") == nil, "online access has no refresh token")
            #expect(online.string("id_token") == nil, "no openid, no ID token")
        }
    }

    @Test("refused without a verified session, for other clients and for scopes the client may not have")
    func refusals() async throws {
        try await withTestServer { server in
            let browser = try await server.registerClient(publicClient: true, trusted: true)
            let confidential = try await server.registerClient(trusted: true)
            let untrustedPublic = try await server.registerClient(publicClient: true, trusted: false, unchecked: true)
            let (session, _) = try await server.verifiedSession()
            func grant(_ client: TestClient, _ extra: [String: Any] = [:], auth: TestAuth) async throws -> APIResponse {
                var body: [String: Any] = ["grant_type": "fxa-credentials", "client_id": client.id, "scope": "profile"]
                body.merge(extra) { $1 }
                return try await server.call(.POST, "/v1/oauth/token", json: body, auth: auth)
            }
            expectError(try await grant(browser, auth: .none), .unauthorized, errno: 110)
            // The session is checked before the form: without one, a bad
            // scope or access_type is not reported, 110 is.
            expectError(try await grant(browser, ["scope": NSNull(), "access_type": "always"], auth: .none), .unauthorized, errno: 110)
            expectOAuthError(try await grant(confidential, auth: Auth.session(session)), .badRequest, errno: 116, error: "invalid_request")
            expectOAuthError(try await grant(untrustedPublic, auth: Auth.session(session)),
                             .badRequest, errno: 121, error: "unsupported_grant_type")
            expectOAuthError(try await grant(browser, ["scope": NSNull()], auth: Auth.session(session)),
                             .badRequest, errno: 109, error: "invalid_request")
            expectOAuthError(try await grant(browser, ["scope": "https://identity.mozilla.com/apps/oldsync"], auth: Auth.session(session)),
                             .badRequest, errno: 114, error: "invalid_scope")
            expectOAuthError(try await grant(browser, ["access_type": "always"], auth: Auth.session(session)),
                             .badRequest, errno: 109, error: "invalid_request")
            let unverified = try await server.signUp(TestUser(), verify: false)
            expectError(try await grant(browser, auth: Auth.session(unverified.sessionToken)), .badRequest, errno: 138)
        }
    }

    @Test("the session route reports a bad refresh token with the auth errno 110, /v1/token with 108")
    func errnoTranslation() async throws {
        try await withTestServer { server in
            let browser = try await server.registerClient(publicClient: true, trusted: true)
            let body: [String: Any] = [
                "grant_type": "refresh_token", "client_id": browser.id, "refresh_token": String(repeating: "ab", count: 32),
            ]
            expectError(try await server.call(.POST, "/v1/oauth/token", json: body), .unauthorized, errno: 110)
            expectOAuthError(try await server.token(body), .badRequest, errno: 108, error: "invalid_grant")
        }
    }
}

/// Bodies of the wrong shape on the OAuth routes.
@Suite("OAuth request bodies")
struct OAuthBodyTests {
    @Test("a wrong type or malformed JSON is errno 109 / invalid_request naming the field")
    func malformedBodies() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let wrongType = try await server.token(["client_id": client.id, "code": String(repeating: "a", count: 64), "ttl": "soon"])
            expectOAuthError(wrongType, .badRequest, errno: 109, error: "invalid_request")
            let validation = try #require(wrongType.json["validation"] as? [String: Any])
            #expect(validation["keys"] as? [String] == ["ttl"])

            for path in ["/v1/token", "/v1/verify", "/v1/introspect", "/v1/oauth/destroy"] {
                let broken = try await server.call(.POST, path, headers: [("Content-Type", "application/json")], rawBody: "{\"token\":")
                expectOAuthError(broken, .badRequest, errno: 109, error: "invalid_request")
            }
        }
    }
}
