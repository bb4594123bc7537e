import FxACore
import FxAServer
import Foundation
import JWTKit
import Testing

/// Relying parties that ask for two-step authentication (`acr_values=AAL2`)
/// get it from a session that gave the app's code, and the ID token says
/// how the user signed in (`acr`, `amr`, `fxa-aal`), as FxA issues it.
@Suite("Two-step authentication: relying parties")
struct TwoStepOAuthTests {
    struct Claims: JWTPayload {
        var sub: String
        var amr: [String]
        var acr: String
        var aal: Int

        enum CodingKeys: String, CodingKey {
            case sub, amr, acr
            case aal = "fxa-aal"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private func idTokenClaims(_ server: TestServer, _ client: TestClient, code: String) async throws -> Claims {
        let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
        try #require(tokens.status == .ok, "\(tokens.raw)")
        let keys = try await JWTKeyCollection().add(jwksJSON: try await server.call(.GET, "/v1/jwks").raw)
        return try await keys.verify(try #require(tokens.string("id_token")), as: Claims.self)
    }

    @Test func anAAL2RequestGetsATwoStepIDTokenFromASessionThatGaveTheCode() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let user = TestUser()
            let account = try await server.signUp(user)
            let weak = try await server.code(client, session: account.sessionToken)
            let before = try await idTokenClaims(server, client, code: weak)
            #expect(before.acr == "AAL1" && before.amr == ["pwd", "email"] && before.aal == 1)

            let secret = try await server.enableTwoStep(user, session: account.sessionToken)
            let strong = try await server.code(client, session: account.sessionToken, ["acr_values": "AAL2"])
            let after = try await idTokenClaims(server, client, code: strong)
            #expect(after.sub == account.uid)
            #expect(after.acr == "AAL2" && after.amr == ["pwd", "otp"] && after.aal == 2)

            let login = try await server.login(user).response
            let session = try #require(login.string("sessionToken"))
            expectError(try await server.authorize(client, session: session, ["acr_values": "AAL2"]), .badRequest, errno: 138)
            _ = try await server.call(
                .POST, "/v1/session/verify/totp", json: ["code": try server.authenticatorCode(secret)],
                auth: .bearer(.sessionToken, token: session))
            let signedIn = try await server.code(client, session: session, ["acr_values": "AAL2"])
            #expect(try await idTokenClaims(server, client, code: signedIn).acr == "AAL2")
        }
    }

    @Test func discoveryListsBothLevels() async throws {
        try await withTestServer { server in
            let discovery = try await server.call(.GET, "/.well-known/openid-configuration")
            #expect(discovery.json["acr_values_supported"] as? [String] == ["AAL1", "AAL2"])
        }
    }
}
