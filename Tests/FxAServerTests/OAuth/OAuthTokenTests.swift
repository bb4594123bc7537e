import Crypto
import FxACore
import FxAServer
import Foundation
import JWTKit
import Testing
import Vapor

/// The code and token endpoints, with the negative cases RFC 6749, RFC 7636
/// and RFC 9700 name, each asserting FxA's errno and the RFC error code.
@Suite("OAuth codes and tokens")
struct OAuthTokenTests {
    struct IDClaims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var at_hash: String
        var nonce: String?
        var amr: [String]
        var acr: String
        var exp: ExpirationClaim
        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    @Test func aConfidentialClientTradesACodeForTokensAndAValidIDToken() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, uid) = try await server.verifiedSession()
            let authorization = try await server.authorize(client, session: session, ["nonce": "n-123", "state": "a+b&c=d"])
            let redirect = try #require(authorization.string("redirect"))
            let code = try #require(authorization.string("code"))
            #expect(redirect == "https://rp.example/cb?code=\(code)&state=a%2Bb%26c%3Dd")
            #expect(authorization.string("state") == "a+b&c=d")

            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            #expect(tokens.status == .ok, "\(tokens.raw)")
            let access = try #require(tokens.string("access_token"))
            #expect(tokens.string("token_type") == "bearer")
            #expect(tokens.string("scope") == "openid profile")
            #expect(tokens.json["expires_in"] as? Int == 21900)
            #expect(tokens.json["refresh_token"] == nil)

            let jwks = try await server.call(.GET, "/v1/jwks")
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks.raw)
            let claims = try await keys.verify(try #require(tokens.string("id_token")), as: IDClaims.self)
            #expect(claims.sub == uid)
            #expect(claims.aud == client.id)
            #expect(claims.iss == "https://accounts.example.test")
            #expect(claims.nonce == "n-123")
            #expect(claims.amr == ["pwd", "email"])
            #expect(claims.acr == "AAL1")
            #expect(claims.at_hash == Data(SHA256.hash(data: Data(access.utf8)).prefix(16)).base64URLEncodedString)

            let verified = try await server.call(.POST, "/v1/verify", json: ["token": access])
            #expect(verified.string("user") == uid)
            #expect(verified.string("client_id") == client.id)
            #expect(verified.json["scope"] as? [String] == ["openid", "profile"])

            #expect(try await server.call(.POST, "/v1/destroy", json: ["token": access]).raw == "{}")
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": access]), .badRequest, errno: 108, error: "invalid_grant")
            expectOAuthError(try await server.call(.POST, "/v1/destroy", json: ["token": access]), .badRequest, errno: 108, error: "invalid_grant")
        }
    }

    @Test func aReusedCodeIsRefusedAndRevokesWhatItIssued() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["access_type": "offline"])
            let body: [String: Any] = ["client_id": client.id, "client_secret": client.secret!, "code": code]
            let first = try await server.token(body)
            let access = try #require(first.string("access_token"))
            let refresh = try #require(first.string("refresh_token"))
            expectOAuthError(try await server.token(body), .badRequest, errno: 105, error: "invalid_grant")
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": access]), .badRequest, errno: 108, error: "invalid_grant")
            expectOAuthError(try await server.token(["grant_type": "refresh_token", "client_id": client.id,
                                                     "client_secret": client.secret!, "refresh_token": refresh]),
                             .badRequest, errno: 108, error: "invalid_grant")
        }
    }

    @Test func codesExpireAfterFifteenMinutesAndBelongToOneClient() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let other = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let stale = try await server.code(client, session: session)
            server.clock.advance(by: 15 * 60 + 1)
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": stale]),
                             .badRequest, errno: 107, error: "invalid_grant")
            let fresh = try await server.code(client, session: session)
            expectOAuthError(try await server.token(["client_id": other.id, "client_secret": other.secret!, "code": fresh]),
                             .badRequest, errno: 106, error: "invalid_grant")
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": Hex32.random().hex]),
                             .badRequest, errno: 105, error: "invalid_grant")
        }
    }

    @Test func clientAuthenticationFailuresAreInvalidClient() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session)
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": Hex32.random().hex, "code": code]),
                             .unauthorized, errno: 102, error: "invalid_client")
            expectOAuthError(try await server.token(["client_id": client.id, "code": code]), .unauthorized, errno: 102, error: "invalid_client")
            expectOAuthError(try await server.token(["client_id": OAuthClientID.random().hex, "code": code]),
                             .badRequest, errno: 101, error: "invalid_client")
            let basic = "Basic " + Data("\(client.id):\(client.secret!)".utf8).base64EncodedString()
            expectOAuthError(try await server.token(["client_secret": client.secret!, "code": code], headers: [("Authorization", basic)]),
                             .badRequest, errno: 109, error: "invalid_request")
            // The failures above did not consume the code; HTTP Basic alone works.
            let tokens = try await server.token(["code": code], headers: [("Authorization", basic)])
            #expect(tokens.status == .ok, "\(tokens.raw)")
        }
    }

    @Test func theSecretBeforeARotationKeepsWorkingUntilForgotten() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let admin = server.dependencies.clientAdministration()
            let id = try #require(OAuthClientID(hex: client.id))
            let newSecret = try await admin.rotateSecret(id)
            for secret in [client.secret!, newSecret.hex] {
                let code = try await server.code(client, session: session)
                #expect(try await server.token(["client_id": client.id, "client_secret": secret, "code": code]).status == .ok)
            }
            try await admin.forgetPreviousSecret(id)
            let code = try await server.code(client, session: session)
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code]),
                             .unauthorized, errno: 102, error: "invalid_client")
        }
    }

    @Test func publicClientsMustUsePKCEWithS256() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(publicClient: true)
            let (session, _) = try await server.verifiedSession()
            expectOAuthError(try await server.authorize(client, session: session), .badRequest, errno: 118, error: "invalid_request")
            let pkce = pkcePair()
            expectOAuthError(try await server.authorize(client, session: session, [
                "code_challenge": pkce.verifier, "code_challenge_method": "plain"]), .badRequest, errno: 109, error: "invalid_request")
            let code = try await server.code(client, session: session, ["code_challenge": pkce.challenge, "code_challenge_method": "S256"])
            expectOAuthError(try await server.token(["client_id": client.id, "code": code]), .badRequest, errno: 118, error: "invalid_request")

            let second = try await server.code(client, session: session, ["code_challenge": pkce.challenge, "code_challenge_method": "S256"])
            expectOAuthError(try await server.token(["client_id": client.id, "code": second, "code_verifier": pkcePair().verifier]),
                             .badRequest, errno: 117, error: "invalid_grant")
            expectOAuthError(try await server.token(["client_id": client.id, "code": Hex32.random().hex, "code_verifier": "short"]),
                             .badRequest, errno: 109, error: "invalid_request")

            let third = try await server.code(client, session: session, ["code_challenge": pkce.challenge, "code_challenge_method": "S256"])
            let tokens = try await server.token(["client_id": client.id, "code": third, "code_verifier": pkce.verifier])
            #expect(tokens.status == .ok, "\(tokens.raw)")
        }
    }

    @Test func redirectURIsMatchExactlyAtBothEnds() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(redirectURIs: ["https://rp.example/cb", "https://rp.example/other"])
            let (session, _) = try await server.verifiedSession()
            for wrong in ["https://rp.example/cb/", "https://rp.example/CB", "https://evil.example/cb", "https://rp.example/cb?x=1"] {
                expectOAuthError(try await server.authorize(client, session: session, ["redirect_uri": wrong]),
                                 .badRequest, errno: 103, error: "invalid_request")
            }
            let code = try await server.code(client, session: session, ["redirect_uri": "https://rp.example/other"])
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code,
                                                     "redirect_uri": "https://rp.example/cb"]),
                             .badRequest, errno: 103, error: "invalid_grant")
            let again = try await server.code(client, session: session, ["redirect_uri": "https://rp.example/other"])
            #expect(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": again,
                                            "redirect_uri": "https://rp.example/other"]).status == .ok)
        }
    }

    @Test func scopesAClientMayNotHaveAreRefused() async throws {
        try await withTestServer { server in
            let trusted = try await server.registerClient(scopes: ["profile"])
            let untrusted = try await server.registerClient(trusted: false, scopes: ["profile", "openid"], unchecked: true)
            let (session, _) = try await server.verifiedSession()
            let oldsync = try await server.authorize(trusted, session: session, ["scope": "profile https://identity.mozilla.com/apps/oldsync"])
            expectOAuthError(oldsync, .badRequest, errno: 114, error: "invalid_scope")
            #expect(oldsync.json["invalidScopes"] as? [String] == ["https://identity.mozilla.com/apps/oldsync"])
            expectOAuthError(try await server.authorize(untrusted, session: session, ["scope": "profile"]), .badRequest, errno: 114, error: "invalid_scope")
            #expect(try await server.authorize(untrusted, session: session, ["scope": "openid profile:email"]).status == .ok)
            expectOAuthError(try await server.authorize(trusted, session: session, ["scope": "bad scope\""]), .badRequest, errno: 109, error: "invalid_request")
        }
    }

    @Test func refreshTokensMintAccessTokensNarrowOnlyAndDieWithTheirChildren() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: false, scopes: ["profile:email", "profile:uid", "openid"])
            let other = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["access_type": "offline", "scope": "openid profile:email profile:uid"])
            let first = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            let refresh = try #require(first.string("refresh_token"), "\(first.raw)")

            let refreshBody: [String: Any] = ["grant_type": "refresh_token", "client_id": client.id, "client_secret": client.secret!, "refresh_token": refresh]
            let refreshed = try await server.token(refreshBody)
            #expect(refreshed.string("scope") == "profile:email profile:uid", "openid is stripped: \(refreshed.raw)")
            #expect(refreshed.json["refresh_token"] == nil)
            #expect(refreshed.json["id_token"] == nil)
            var narrow = refreshBody
            narrow["scope"] = "profile:email"
            #expect(try await server.token(narrow).string("scope") == "profile:email")
            var wide = refreshBody
            wide["scope"] = "profile"
            expectOAuthError(try await server.token(wide), .badRequest, errno: 114, error: "invalid_scope")
            expectOAuthError(try await server.token(["grant_type": "refresh_token", "client_id": other.id, "client_secret": other.secret!,
                                                     "refresh_token": refresh]), .badRequest, errno: 108, error: "invalid_grant")

            let minted = try #require(refreshed.string("access_token"))
            #expect(try await server.call(.POST, "/v1/destroy", json: ["refresh_token": refresh]).status == .ok)
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": minted]), .badRequest, errno: 108, error: "invalid_grant")
            expectOAuthError(try await server.token(refreshBody), .badRequest, errno: 108, error: "invalid_grant")
        }
    }

    @Test func otherRequestErrors() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            expectOAuthError(try await server.token(["grant_type": "password", "client_id": client.id]),
                             .badRequest, errno: 121, error: "unsupported_grant_type")
            expectOAuthError(try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": "XYZ"]),
                             .badRequest, errno: 109, error: "invalid_request")
            let account = try await server.signUp(TestUser(), verify: false)
            let unverified = try await server.authorize(client, session: account.sessionToken)
            expectError(unverified, .badRequest, errno: 138)
            let (session, _) = try await server.verifiedSession()
            expectOAuthError(try await server.authorize(client, session: session, ["state": ""]), .badRequest, errno: 109, error: "invalid_request")
            expectOAuthError(try await server.authorize(client, session: session, ["response_type": "token"]),
                             .badRequest, errno: 110, error: "unsupported_response_type")
            expectError(try await server.call(.POST, "/v1/oauth/authorization", json: ["client_id": client.id]), .unauthorized, errno: 110)
            // RFC 7009: revoking an unknown token is not an error.
            let revoke = try await server.call(.POST, "/v1/oauth/destroy", json: [
                "client_id": client.id, "client_secret": client.secret!, "token": Hex32.random().hex])
            #expect(revoke.raw == "{}")
        }
    }
}
