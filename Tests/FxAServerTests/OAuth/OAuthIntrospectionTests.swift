import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

@Suite("OAuth introspection and client info")
struct OAuthIntrospectionTests {
    @Test func introspectionDescribesLiveTokensAndCallsTheRestInactive() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(publicClient: true)
            let (session, uid) = try await server.verifiedSession()
            let pkce = pkcePair()
            let code = try await server.code(client, session: session, [
                "code_challenge": pkce.challenge, "code_challenge_method": "S256", "access_type": "offline", "scope": "profile"])
            let tokens = try await server.token(["client_id": client.id, "code": code, "code_verifier": pkce.verifier, "ttl": 60])
            let access = try #require(tokens.string("access_token"), "\(tokens.raw)")
            let refresh = try #require(tokens.string("refresh_token"))
            #expect(tokens.json["expires_in"] as? Int == 60)

            let live = try await server.call(.POST, "/v1/introspect", json: ["token": access])
            #expect(live.json["active"] as? Bool == true)
            #expect(live.string("sub") == uid)
            #expect(live.string("client_id") == client.id)
            #expect(live.string("token_type") == "access_token")
            let iat = try #require(live.json["iat"] as? Int)
            #expect(live.json["exp"] as? Int == iat + 60_000, "milliseconds")

            let refreshInfo = try await server.call(.POST, "/v1/introspect", json: ["token": refresh, "token_type_hint": "refresh_token"])
            #expect(refreshInfo.string("token_type") == "refresh_token")
            #expect(refreshInfo.json["fxa-lastUsedAt"] as? Int != nil)

            server.clock.advance(by: 61)
            #expect(try await server.call(.POST, "/v1/introspect", json: ["token": access]).raw == #"{"active":false}"#)
            #expect(try await server.call(.POST, "/v1/introspect", json: ["token": "not-a-token"]).raw == #"{"active":false}"#)
            expectOAuthError(try await server.call(.POST, "/v1/introspect", json: ["token": access, "token_type_hint": "id_token"]),
                             .badRequest, errno: 109, error: "invalid_request")
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": access]), .badRequest, errno: 115, error: "invalid_token")
        }
    }

    @Test func aConfidentialClientsRefreshTokenIsNotDescribed() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["access_type": "offline", "scope": "profile"])
            let refresh = try #require(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code]).string("refresh_token"))
            expectOAuthError(try await server.call(.POST, "/v1/introspect", json: ["token": refresh]), .badRequest, errno: 116, error: "invalid_request")
        }
    }

    @Test func clientInfoShowsPublicFactsOnly() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(redirectURIs: ["https://rp.example/cb", "https://rp.example/two"])
            let info = try await server.call(.GET, "/v1/client/\(client.id)")
            #expect(info.string("id") == client.id)
            #expect(info.string("name") == "Test RP")
            #expect(info.json["trusted"] as? Bool == true)
            #expect(info.string("redirect_uri") == "https://rp.example/cb,https://rp.example/two")
            #expect(!info.raw.contains(client.secret!))
            #expect(!info.raw.contains("secret"))
            expectOAuthError(try await server.call(.GET, "/v1/client/\(OAuthClientID.random().hex)"), .badRequest, errno: 101, error: "invalid_client")
            expectOAuthError(try await server.call(.GET, "/v1/client/xyz"), .badRequest, errno: 109, error: "invalid_request")
        }
    }
}
