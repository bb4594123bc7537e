import Foundation
import FxACore
import Testing
import Vapor

/// `/v1/authorized-clients`: the RPs holding tokens for an account.
@Suite("Authorized clients")
struct AuthorizedClientsTests {
    func list(_ server: TestServer, _ session: String) async throws -> [[String: Any]] {
        let response = try await server.call(.GET, "/v1/authorized-clients", auth: Auth.session(session))
        #expect(response.status == .ok, "\(response.raw)")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.raw.utf8)) as? [[String: Any]])
    }

    @Test("each refresh token is an entry, access-only clients are merged, and destroy revokes")
    func listAndDestroy() async throws {
        try await withTestServer { server in
            let offlineRP = try await server.registerClient(scopes: ["profile", "openid"])
            let onlineRP = try await server.registerClient(scopes: ["profile:uid", "profile:email"])
            let (session, _) = try await server.verifiedSession()
            func tokens(_ client: TestClient, _ extra: [String: Any]) async throws -> APIResponse {
                let code = try await server.code(client, session: session, extra)
                return try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            }
            let first = try await tokens(offlineRP, ["access_type": "offline", "scope": "profile"])
            server.clock.advance(by: 5)
            _ = try await tokens(offlineRP, ["access_type": "offline", "scope": "openid profile"])
            server.clock.advance(by: 5)
            let online = try await tokens(onlineRP, ["scope": "profile:email"])
            _ = try await tokens(onlineRP, ["scope": "profile:uid"])

            let entries = try await list(server, session)
            #expect(entries.count == 3)
            #expect(entries.first?["client_id"] as? String == onlineRP.id, "most recently used first")
            #expect(entries.first?["refresh_token_id"] == nil)
            #expect(entries.first?["scope"] as? [String] == ["profile:email", "profile:uid"], "merged access tokens")
            let refreshEntries = entries.filter { $0["refresh_token_id"] != nil }
            #expect(refreshEntries.count == 2)
            #expect(Set(refreshEntries.compactMap { $0["client_id"] as? String }) == [offlineRP.id])
            #expect(refreshEntries.allSatisfy { ($0["scope"] as? [String])?.contains("openid") == false },
                    "refresh tokens never carry openid")
            #expect(entries.allSatisfy { $0["client_name"] as? String == "Test RP" && $0["created_time"] is Int64 })
            let refreshToken = try #require(first.string("refresh_token"))
            #expect(!refreshEntries.contains { $0["refresh_token_id"] as? String == refreshToken }, "the id is not the token")

            // Revoking one refresh token leaves the other.
            let oldest = try #require(refreshEntries.last?["refresh_token_id"] as? String)
            let destroyed = try await server.call(.POST, "/v1/authorized-clients/destroy", json: [
                "client_id": offlineRP.id, "refresh_token_id": oldest,
            ], auth: Auth.session(session))
            #expect(destroyed.status == .ok, "\(destroyed.raw)")
            #expect(try await list(server, session).count == 2)
            let refreshed = try await server.token([
                "grant_type": "refresh_token", "client_id": offlineRP.id, "client_secret": offlineRP.secret!,
                "refresh_token": refreshToken,
            ])
            expectOAuthError(refreshed, .badRequest, errno: 108, error: "invalid_grant")

            // Revoking a client removes all it holds, access tokens included.
            let all = try await server.call(.POST, "/v1/authorized-clients/destroy", json: ["client_id": onlineRP.id],
                                            auth: Auth.session(session))
            #expect(all.status == .ok)
            let verify = try await server.call(.POST, "/v1/verify", json: ["token": try #require(online.string("access_token"))])
            #expect(verify.status == .badRequest)
            #expect(try await list(server, session).map { $0["client_id"] as? String } == [offlineRP.id])
        }
    }

    @Test("another account's tokens are neither listed nor destroyable; bad input is refused")
    func isolation() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (alice, _) = try await server.verifiedSession()
            let (mallory, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: alice, ["access_type": "offline"])
            _ = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            #expect(try await list(server, mallory).isEmpty)
            let aliceEntry = try #require(try await list(server, alice).first?["refresh_token_id"] as? String)
            let stolen = try await server.call(.POST, "/v1/authorized-clients/destroy", json: [
                "client_id": client.id, "refresh_token_id": aliceEntry,
            ], auth: Auth.session(mallory))
            expectOAuthError(stolen, .badRequest, errno: 122, error: "invalid_request")
            #expect(try await list(server, alice).count == 1)

            for body: [String: Any] in [[:], ["client_id": "xyz"], ["client_id": client.id, "refresh_token_id": "abc"]] {
                let response = try await server.call(.POST, "/v1/authorized-clients/destroy", json: body, auth: Auth.session(alice))
                expectOAuthError(response, .badRequest, errno: 109, error: "invalid_request")
            }
            expectError(try await server.call(.GET, "/v1/authorized-clients"), .unauthorized, errno: 110)
            let unverified = try await server.signUp(TestUser(), verify: false)
            expectError(try await server.call(.GET, "/v1/authorized-clients", auth: Auth.session(unverified.sessionToken)),
                        .badRequest, errno: 138)
        }
    }
}
