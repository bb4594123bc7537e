import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Token-endpoint rules where FxA, RFC 6749 and RFC 6750 meet: the
/// redirect URI a code is bound to, how far a refresh may reach, media
/// types, cache headers, challenges on 401s, and how refusals list scopes.
@Suite("Token endpoint rules")
struct TokenEndpointRulesTests {
    @Test func aTokenRequestMayOmitTheRedirectURIButNeverNameAnother() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(redirectURIs: ["https://rp.example/cb", "https://rp.example/other"])
            let (session, _) = try await server.verifiedSession()
            // PyFxA's trade_code sends no redirect_uri, as FxA allows.
            let code = try await server.code(client, session: session, ["redirect_uri": "https://rp.example/other"])
            let traded = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            #expect(traded.status == .ok, "\(traded.raw)")

            let another = try await server.code(client, session: session, ["redirect_uri": "https://rp.example/other"])
            let mismatch = try await server.token([
                "client_id": client.id, "client_secret": client.secret!, "code": another, "redirect_uri": "https://rp.example/cb",
            ])
            expectOAuthError(mismatch, .badRequest, errno: 103, error: "invalid_grant")
            #expect(mismatch.string("redirectUri") == "https://rp.example/cb")
        }
    }

    @Test func aRefreshWidensOnlyForATrustedClientWithinItsRegistrationAndNeverToAKey() async throws {
        try await withTestServer { server in
            let oldsync = "https://identity.mozilla.com/apps/oldsync"
            let trusted = try await server.registerClient(
                publicClient: true, scopes: ["profile", "profile:write", oldsync, "https://identity.mozilla.com/apps"])
            let (session, _) = try await server.verifiedSession()
            let grant = try await GrantEndingTests.offlineGrant(server, trusted, session: session, scope: "profile:email")
            func refresh(_ scope: String) async throws -> APIResponse {
                try await server.token([
                    "grant_type": "refresh_token", "client_id": trusted.id, "refresh_token": grant.refresh, "scope": scope,
                ])
            }
            // FxA's validateRefreshTokenGrant lets a trusted client widen within its registration.
            #expect(try await refresh("profile:write").string("scope") == "profile:write")
            for key in [oldsync, "https://identity.mozilla.com/apps", "profile:email \(oldsync)", "\(oldsync)/bookmarks", "\(oldsync)#read"] {
                let widened = try await refresh(key)
                expectOAuthError(widened, .badRequest, errno: 114, error: "invalid_scope")
                #expect(widened.json["invalidScopes"] as? [String] == [key.split(separator: " ").last.map(String.init)!], "\(widened.raw)")
            }

            let untrusted = try await server.registerClient(publicClient: true, trusted: false, scopes: ["profile:email", "profile:uid"])
            let narrow = try await GrantEndingTests.offlineGrant(server, untrusted, session: session, scope: "profile:email")
            let wider = try await server.token([
                "grant_type": "refresh_token", "client_id": untrusted.id, "refresh_token": narrow.refresh, "scope": "profile:email profile:uid",
            ])
            expectOAuthError(wider, .badRequest, errno: 114, error: "invalid_scope")
            #expect(wider.json["invalidScopes"] as? [String] == ["profile:uid"])
        }
    }

    @Test(arguments: ["/v1/token", "/v1/oauth/authorization", "/v1/oauth/destroy", "/v1/verify"])
    func bodiesThatAreNeitherJSONNorAFormAre415(path: String) async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let auth: TestAuth = path == "/v1/oauth/authorization" ? Auth.session(session) : .none
            let cases = [
                ("text/plain", #"{"client_id":"\#(client.id)"}"#),
                ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n\(client.id)\r\n--x--\r\n"),
                ("application/xml", "<client_id/>"),
            ]
            for (type, body) in cases {
                let response = try await server.call(.POST, path, auth: auth, headers: [("Content-Type", type)], rawBody: body)
                expectOAuthError(response, .unsupportedMediaType, errno: 113, error: "invalid_request")
            }
            let none = try await server.call(.POST, path, auth: auth, rawBody: "client_id=\(client.id)")
            expectOAuthError(none, .unsupportedMediaType, errno: 113, error: "invalid_request")
            let form = try await server.call(
                .POST, path, auth: auth, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")],
                rawBody: "client_id=\(client.id)")
            // Read as a form: what is missing now is a field, not the media type.
            #expect(form.status == .badRequest || form.status == .unauthorized, "\(form.raw)")
            #expect(form.errno != 113, "\(form.raw)")
        }
    }

    @Test func aFormFieldSentTwiceIsRefusedAndAnEmptyOneIsAsIfOmitted() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(publicClient: true)
            let (session, _) = try await server.verifiedSession()
            let pkce = pkcePair()
            let code = try await server.code(client, session: session, ["code_challenge": pkce.challenge, "code_challenge_method": "S256"])
            let form = [("Content-Type", "application/x-www-form-urlencoded")]
            let twice = try await server.call(.POST, "/v1/token", headers: form,
                                              rawBody: "client_id=\(client.id)&code=\(code)&code=\(code)&code_verifier=\(pkce.verifier)")
            expectOAuthError(twice, .badRequest, errno: 109, error: "invalid_request")
            #expect(twice.string("error_description") == "code must be sent once")
            let oddName = try await server.call(.POST, "/v1/token", headers: form, rawBody: "%22x%22=1&%22x%22=2&client_id=\(client.id)")
            #expect(oddName.string("error_description") == "A parameter must be sent once", "a name outside RFC 6749's charset is not echoed")
            // A public client's empty client_secret and redirect_uri are no secret and no URI (RFC 6749 §3.2).
            let empty = try await server.call(.POST, "/v1/token", headers: form, rawBody:
                "client_id=\(client.id)&client_secret=&redirect_uri=&code=\(code)&code_verifier=\(pkce.verifier)&grant_type=authorization_code")
            #expect(empty.status == .ok, "\(empty.raw)")
        }
    }

    @Test func anUnknownClientOverHTTPBasicIs401WithAChallenge() async throws {
        try await withTestServer { server in
            let unknown = "Basic " + Data("\(OAuthClientID.random().hex):\(Hex32.random().hex)".utf8).base64EncodedString()
            let answer = try await server.token(["code": Hex32.random().hex], headers: [("Authorization", unknown)])
            expectOAuthError(answer, .unauthorized, errno: 101, error: "invalid_client")
            #expect(answer.headers.first(name: .wwwAuthenticate)?.hasPrefix("Basic ") == true)
            // In the body, FxA's 400 stands: no challenge was attempted.
            expectOAuthError(try await server.token(["client_id": OAuthClientID.random().hex, "code": Hex32.random().hex]),
                             .badRequest, errno: 101, error: "invalid_client")
        }
    }

    @Test func aRequestForAAL2IsRefusedForASessionWithoutTheSecondFactor() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let refused = try await server.authorize(client, session: session, ["acr_values": "AAL1 AAL2"])
            expectOAuthError(refused, .badRequest, errno: 120, error: "invalid_request")
            #expect(refused.json["foundValue"] as? Int == 1, "the session's level, as FxA reports it")
            #expect(try await server.authorize(client, session: session, ["acr_values": "AAL1"]).status == .ok)
            #expect(try await server.authorize(client, session: session, ["acr_values": "anything else"]).status == .ok)
        }
    }

    @Test func tokenResponsesAreNeverCachedAndLongTTLsAreCappedAsFxADoes() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session)
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code, "ttl": 14 * 24 * 3600])
            #expect(tokens.status == .ok, "\(tokens.raw)")
            #expect(tokens.headers.first(name: .cacheControl) == "no-store")
            #expect(tokens.headers.first(name: .pragma) == "no-cache")
            #expect(tokens.json["expires_in"] as? Int == 21900, "capped at the maximum, as FxA's token route does")
            let fresh = try await server.code(client, session: session)
            let zero = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": fresh, "ttl": 0])
            expectOAuthError(zero, .badRequest, errno: 109, error: "invalid_request")
        }
    }

    @Test func unauthorizedAnswersCarryTheirChallenge() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session)
            let wrongBasic = "Basic " + Data("\(client.id):\(Hex32.random().hex)".utf8).base64EncodedString()
            let basic = try await server.token(["code": code], headers: [("Authorization", wrongBasic)])
            expectOAuthError(basic, .unauthorized, errno: 102, error: "invalid_client")
            #expect(basic.headers.first(name: .wwwAuthenticate)?.hasPrefix("Basic ") == true)

            let missing = try await server.profileCall(.GET, "/v1/profile", token: nil)
            expectProfileError(missing, .unauthorized, errno: 100)
            #expect(missing.headers.first(name: .wwwAuthenticate) == "Bearer", "no error code without credentials (RFC 6750 §3.1)")
            let bad = try await server.profileCall(.GET, "/v1/profile", token: Hex32.random().hex)
            expectProfileError(bad, .unauthorized, errno: 100)
            #expect(bad.headers.first(name: .wwwAuthenticate)?.hasPrefix(#"Bearer error="invalid_token""#) == true)

            let email = try await server.profileToken(scope: "profile:email")
            let forbidden = try await server.profileCall(.GET, "/v1/display_name", token: email.accessToken)
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.headers.first(name: .wwwAuthenticate) == #"Bearer error="insufficient_scope", scope="profile:display_name""#)
        }
    }

    @Test func theUserInfoEndpointAnswersPOSTLikeGET() async throws {
        try await withTestServer { server in
            let token = try await server.profileToken(scope: "profile")
            let get = try await server.profileCall(.GET, "/v1/profile", token: token.accessToken)
            let post = try await server.profileCall(.POST, "/v1/profile", token: token.accessToken)
            #expect(post.status == .ok, "\(post.raw)")
            #expect(post.raw == get.raw)
            expectProfileError(try await server.profileCall(.POST, "/v1/profile", token: nil), .unauthorized, errno: 100)
        }
    }

    @Test func aRefusalListsEveryRefusedScopeAsSent() async throws {
        try await withTestServer { server in
            let untrusted = try await server.registerClient(trusted: false, scopes: ["profile", "openid"], unchecked: true)
            let (session, _) = try await server.verifiedSession()
            let refused = try await server.authorize(untrusted, session: session, ["scope": "openid profile:write profile:amr"])
            expectOAuthError(refused, .badRequest, errno: 114, error: "invalid_scope")
            #expect(refused.json["invalidScopes"] as? [String] == ["profile:amr", "profile:write"])
        }
    }
}
