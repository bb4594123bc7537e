import Crypto
import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Smaller RFC points the security checklist (docs/security.md) names:
/// where credentials may come from, PKCE downgrade, revocation hints and
/// authentication, and what is stored for a token.
@Suite("OAuth edge rules")
struct OAuthEdgeRulesTests {
    @Test func aSecretInTheQueryStringIsNotAClientCredential() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session)
            let answer = try await server.call(
                .POST, "/v1/token?client_secret=\(client.secret!)", json: ["client_id": client.id, "code": code])
            expectOAuthError(answer, .unauthorized, errno: 102, error: "invalid_client")
        }
    }

    @Test func aVerifierForACodeIssuedWithoutAChallengeIsRefused() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session)
            let answer = try await server.token([
                "client_id": client.id, "client_secret": client.secret!, "code": code, "code_verifier": pkcePair().verifier,
            ])
            expectOAuthError(answer, .badRequest, errno: 117, error: "invalid_grant")
        }
    }

    @Test func revocationFindsATokenWhateverTheHintAndAConfidentialClientMustAuthenticate() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let access = try await server.accessToken(client, session: session, scope: "profile")
            let anonymous = try await server.call(.POST, "/v1/oauth/destroy", json: ["client_id": client.id, "token": access])
            expectOAuthError(anonymous, .unauthorized, errno: 102, error: "invalid_client")
            #expect(try await server.profileCall(.GET, "/v1/profile", token: access).status == .ok, "still alive")

            let revoked = try await server.call(.POST, "/v1/oauth/destroy", json: [
                "client_id": client.id, "client_secret": client.secret!, "token": access, "token_type_hint": "refresh_token",
            ])
            #expect(revoked.raw == "{}", "\(revoked.raw)")
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: access), .unauthorized, errno: 100)
        }
    }

    @Test func tokensAndCodesAreStoredOnlyAsTheirHashes() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["access_type": "offline"])
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            let grants = server.dependencies.stores.oauthGrants
            for text in [try #require(tokens.string("access_token")), try #require(tokens.string("refresh_token"))] {
                let raw = try #require(Data(hex: text))
                #expect(try await grants.token(hash: #require(TokenHash(bytes: raw))) == nil, "no row is keyed by the token itself")
                let sha256 = try #require(TokenHash(bytes: Data(SHA256.hash(data: raw))))
                #expect(try await grants.token(hash: sha256) != nil, "the row is keyed by its SHA-256")
            }
            let rawCode = try #require(Data(hex: code))
            #expect(try await grants.redeemCode(hash: #require(TokenHash(bytes: rawCode)), at: Date()) == .unknown)
        }
    }
}
