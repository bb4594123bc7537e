import FxACore
import Foundation
import Testing
import Vapor

/// A signed-up account and an access token for it with chosen scopes.
struct ProfileTestToken {
    let uid: String
    let email: String
    let session: String
    let accessToken: String
    let client: TestClient
}

extension TestServer {
    /// Signs a new account up, registers a client allowed `allowed`, and
    /// runs the code flow for `scope`.
    func profileToken(
        scope: String, allowed: [String] = ["profile", "profile:write", "openid", "email"], jwt: Bool = false
    ) async throws -> ProfileTestToken {
        let user = TestUser()
        let account = try await signUp(user)
        let client = try await registerClient(scopes: allowed, jwtAccessTokens: jwt)
        let token = try await accessToken(client, session: account.sessionToken, scope: scope)
        return ProfileTestToken(
            uid: account.uid, email: user.email, session: account.sessionToken, accessToken: token, client: client)
    }

    /// Another token for the same account and client.
    func accessToken(_ client: TestClient, session: String, scope: String, offline: Bool = false) async throws -> String {
        var extra: [String: Any] = ["scope": scope]
        if offline { extra["access_type"] = "offline" }
        let code = try await code(client, session: session, extra)
        let exchanged = try await token(["client_id": client.id, "client_secret": client.secret ?? "", "code": code])
        try #require(exchanged.status == .ok, "token: \(exchanged.raw)")
        return try #require(exchanged.string(offline ? "refresh_token" : "access_token"))
    }

    /// A profile API call with `Authorization: Bearer <token>`.
    func profileCall(
        _ method: HTTPMethod, _ path: String, token: String?, json: [String: Any]? = nil,
        headers: [(String, String)] = [], data: Data? = nil
    ) async throws -> APIResponse {
        try await call(method, path, json: json, auth: token.map { .header("Bearer \($0)") } ?? .none, headers: headers, data: data)
    }
}

/// Checks a profile-server error: status, errno, and the `reason` when given.
func expectProfileError(
    _ response: APIResponse, _ status: HTTPStatus, errno: Int, reason: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.errno == errno, "\(response.raw)", sourceLocation: sourceLocation)
    #expect(response.json["code"] as? Int == Int(status.code), "\(response.raw)", sourceLocation: sourceLocation)
    if let reason {
        #expect(response.string("reason") == reason, "\(response.raw)", sourceLocation: sourceLocation)
    }
}

/// The smallest valid PNG: a 1x1 transparent pixel.
let onePixelPNG = Data(base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!
