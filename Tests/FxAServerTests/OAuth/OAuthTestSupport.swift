import Crypto
import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// A registered client as a test holds it.
struct TestClient {
    let id: String
    let secret: String?
    let redirectURI: String
}

extension TestServer {
    /// Registers a client the way the operator does. `unchecked`: stored as
    /// an older version would have let it be, with scopes a client of its
    /// trust can never be granted (what the runtime must still refuse).
    func registerClient(
        publicClient: Bool = false, trusted: Bool = true, scopes: [String] = ["profile", "openid"],
        redirectURIs: [String] = ["https://rp.example/cb"], jwtAccessTokens: Bool = false, webhookURL: String? = nil,
        unchecked: Bool = false
    ) async throws -> TestClient {
        let admin = dependencies.clientAdministration()
        var (client, secret) = try await admin.create(.init(
            name: "Test RP", redirectURIs: redirectURIs, allowedScopes: scopes, publicClient: publicClient,
            trusted: trusted || unchecked, imageURI: nil, webhookURL: webhookURL, jwtAccessTokens: jwtAccessTokens))
        if unchecked, !trusted {
            client.trusted = false
            try await dependencies.stores.oauthClients.update(client)
        }
        return TestClient(id: client.id.hex, secret: secret?.hex, redirectURI: redirectURIs[0])
    }

    /// A verified account's session token.
    func verifiedSession() async throws -> (session: String, uid: String) {
        let account = try await signUp(TestUser())
        return (account.sessionToken, account.uid)
    }

    /// `POST /v1/oauth/authorization` with a session.
    func authorize(_ client: TestClient, session: String, _ extra: [String: Any] = [:]) async throws -> APIResponse {
        var body: [String: Any] = ["client_id": client.id, "state": "st-\(UUID().uuidString)", "scope": "profile openid"]
        body.merge(extra) { $1 }
        return try await call(.POST, "/v1/oauth/authorization", json: body, auth: Auth.session(session))
    }

    /// A code for `client`, or a failed test.
    func code(_ client: TestClient, session: String, _ extra: [String: Any] = [:]) async throws -> String {
        let response = try await authorize(client, session: session, extra)
        try #require(response.status == .ok, "authorization: \(response.raw)")
        return try #require(response.string("code"))
    }

    /// `POST /v1/token` as JSON.
    func token(_ body: [String: Any], headers: [(String, String)] = []) async throws -> APIResponse {
        try await call(.POST, "/v1/token", json: body, headers: headers)
    }
}

/// A PKCE pair (RFC 7636): a random verifier and its S256 challenge.
func pkcePair() -> (verifier: String, challenge: String) {
    let verifier = SecureRandom.bytes(32).base64URLEncodedString
    return (verifier, Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString)
}

/// Checks FxA's OAuth errno and the RFC 6749 `error` code.
func expectOAuthError(
    _ response: APIResponse, _ status: HTTPStatus, errno: Int, error: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.errno == errno, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.string("error") == error, "\(response.raw)", sourceLocation: sourceLocation)
}
