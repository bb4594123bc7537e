import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// `/authorization` for a browser that is signed in (a web session): the
/// page offers to continue as its account, `prompt=none` gets a code at
/// once or the OIDC error that says why not.
@Suite("Web pages: single sign-on", .serialized)
struct SingleSignOnTests {
    private func authorizationPath(_ client: TestClient, _ extra: [String: String] = [:]) -> String {
        var components = URLComponents()
        components.queryItems = (["client_id": client.id, "scope": "openid profile", "state": "st&1", "response_type": "code"]
            .merging(extra) { $1 }).map { URLQueryItem(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
        return "/authorization?" + components.percentEncodedQuery!
    }

    private func redirectQuery(_ response: APIResponse) throws -> (base: String, query: [String: String]) {
        #expect(response.status == .seeOther, "\(response.status) \(response.raw)")
        let location = try #require(response.headers.first(name: .location))
        var query: [String: String] = [:]
        for item in URLComponents(string: location)?.queryItems ?? [] { query[item.name] = item.value }
        return (location.components(separatedBy: "?")[0], query)
    }

    /// A signed-in browser of a new account.
    private func signedIn(_ server: TestServer) async throws -> (browser: WebBrowser, user: TestUser, uid: String) {
        let user = TestUser()
        let account = try await server.signUp(user)
        return (try await server.webSignIn(session: account.sessionToken), user, account.uid)
    }

    @Test func promptNoneGivesASignedInBrowserItsCodeAtOnce() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (browser, _, uid) = try await signedIn(server)
            server.clock.advance(by: 30)
            let response = try await server.call(.GET, authorizationPath(client, ["prompt": "none", "nonce": "n-1"]),
                                                 headers: [browser.header])
            let (base, query) = try redirectQuery(response)
            #expect(base == client.redirectURI && query["state"] == "st&1" && query["error"] == nil, "\(query)")
            let code = try #require(query["code"])
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            #expect(tokens.status == .ok, "\(tokens.raw)")
            let idToken = try #require(tokens.string("id_token"))
            let claims = try #require(try JSONSerialization.jsonObject(
                with: Data(base64URLEncoded: String(idToken.split(separator: ".")[1]))!) as? [String: Any])
            #expect(claims["sub"] as? String == uid && claims["nonce"] as? String == "n-1")
            let authTime = try #require(claims["auth_time"] as? Int)
            #expect(Int(server.clock.now().timeIntervalSince1970) - authTime >= 30, "auth_time is the original sign-in")
        }
    }

    @Test(arguments: [
        ([String: String](), false, "login_required"),
        (["login_hint": "someone-else@example.org"], true, "login_required"),
        (["max_age": "10"], true, "login_required"),
        (["prompt": "none consent"], true, "invalid_request"),
        // The account has no two-step authentication: the RP's requirement cannot be met.
        (["acr_values": "AAL2"], true, "unmet_authentication_requirements"),
    ])
    func promptNoneSaysWhyItCannot(extra: [String: String], signIn: Bool, error: String) async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let headers = signIn ? [try await signedIn(server).browser.header] : []
            server.clock.advance(by: 60)
            let response = try await server.call(.GET, authorizationPath(client, ["prompt": "none"].merging(extra) { $1 }),
                                                 headers: headers)
            let (base, query) = try redirectQuery(response)
            #expect(base == client.redirectURI && query["error"] == error && query["code"] == nil, "\(query)")
            #expect(query["state"] == "st&1")
        }
    }

    @Test func promptNoneForAnUntrustedAppNeedsConsent() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: false, scopes: ["openid", "profile:email"])
            let (browser, _, _) = try await signedIn(server)
            let response = try await server.call(.GET, authorizationPath(client, ["prompt": "none", "scope": "openid profile:email"]),
                                                 headers: [browser.header])
            #expect(try redirectQuery(response).query["error"] == "consent_required")
        }
    }

    @Test func thePageOffersToContinueUnlessAnotherSignInIsAskedFor() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (browser, user, _) = try await signedIn(server)
            let page = try await server.call(.GET, authorizationPath(client), headers: [browser.header])
            #expect(page.raw.contains(#"id="signed-in-form""#))
            #expect(page.raw.contains(#""signedInEmail":"\#(user.email)""#))
            for extra in [["prompt": "login"], ["login_hint": "other@example.org"], ["email": "other@example.org"]] {
                let fresh = try await server.call(.GET, authorizationPath(client, extra), headers: [browser.header])
                #expect(fresh.status == .ok && !fresh.raw.contains(#"id="signed-in-form""#), "\(extra)")
            }
            let signedOut = try await server.call(.GET, authorizationPath(client))
            #expect(!signedOut.raw.contains("signedInEmail"))
        }
    }

    @Test func continuingAsTheSignedInAccountNeedsOurOriginAndTheCSRFToken() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (browser, _, _) = try await signedIn(server)
            let csrf = try csrfToken(try await server.page("/settings", browser))
            let body: [String: Any] = ["client_id": client.id, "scope": "openid profile", "state": "web-st"]
            expectError(try await server.scriptCall("/v1/web/authorization", browser, csrf: nil, json: body), .forbidden, errno: 999)
            expectError(try await server.scriptCall("/v1/web/authorization", browser, csrf: csrf, json: body, origin: "https://evil.example"),
                        .forbidden, errno: 999)
            expectError(try await server.scriptCall("/v1/web/authorization", WebBrowser(cookie: "x"), csrf: csrf, json: body),
                        .unauthorized, errno: 110)
            var withKeys = body
            withKeys["keys_jwe"] = "a.b.c.d.e"
            let keys = try await server.scriptCall("/v1/web/authorization", browser, csrf: csrf, json: withKeys)
            #expect(keys.status == .badRequest && keys.json["errno"] as? Int == 109, "\(keys.raw)")

            let answer = try await server.scriptCall("/v1/web/authorization", browser, csrf: csrf, json: body)
            #expect(answer.status == .ok, "\(answer.raw)")
            let code = try #require(answer.string("code"))
            #expect(answer.string("state") == "web-st")
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            #expect(tokens.status == .ok)
        }
    }
}
