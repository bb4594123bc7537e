import FxACore
import FxAServer
import Foundation
import JWTKit
import Testing
import Vapor

@Suite("JWT access tokens")
struct JWTAccessTokenTests {
    struct Claims: JWTPayload {
        var sub: String
        var client_id: String
        var scope: String
        var jti: String
        var exp: ExpirationClaim
        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    @Test func aClientThatOptsInGetsRevocableAtJWTs() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(jwtAccessTokens: true)
            let (session, uid) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["scope": "profile"])
            // JWTKit checks `exp` against the real clock, not the test's: an
            // hour keeps a slow, loaded run from expiring it mid-test.
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code, "ttl": 3600])
            let jwt = try #require(tokens.string("access_token"), "\(tokens.raw)")

            let headerPart = try #require(jwt.split(separator: ".").first)
            let header = try #require(Data(base64URLEncoded: headerPart))
            let headerFields = try #require(try JSONSerialization.jsonObject(with: header) as? [String: String])
            #expect(headerFields["typ"] == "at+JWT")
            #expect(headerFields["alg"] == "RS256")
            let keys = try await JWTKeyCollection().add(jwksJSON: try await server.call(.GET, "/v1/jwks").raw)
            let claims = try await keys.verify(jwt, as: Claims.self)
            #expect(claims.sub == uid)
            #expect(claims.client_id == client.id)
            #expect(claims.scope == "profile")
            #expect(claims.jti.count == 64)

            #expect(try await server.call(.POST, "/v1/verify", json: ["token": jwt]).string("user") == uid)
            #expect(try await server.call(.POST, "/v1/introspect", json: ["token": jwt]).json["active"] as? Bool == true)

            // A tampered signature is not a token.
            var parts = jwt.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": parts.joined(separator: ".")]),
                             .badRequest, errno: 108, error: "invalid_grant")

            #expect(try await server.call(.POST, "/v1/destroy", json: ["access_token": jwt]).raw == "{}")
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": jwt]), .badRequest, errno: 108, error: "invalid_grant")
        }
    }

    @Test func anExpiredJWTIsErrno115() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(jwtAccessTokens: true)
            let (session, _) = try await server.verifiedSession()
            let code = try await server.code(client, session: session, ["scope": "profile"])
            let jwt = try #require(try await server.token([
                "client_id": client.id, "client_secret": client.secret!, "code": code, "ttl": 60]).string("access_token"))
            // JWTKit checks `exp` against the real clock; the row's expiry is
            // checked against the server's clock, which the test moves on.
            server.clock.advance(by: 120)
            let response = try await server.call(.POST, "/v1/verify", json: ["token": jwt])
            expectOAuthError(response, .badRequest, errno: 115, error: "invalid_token")
        }
    }
}
