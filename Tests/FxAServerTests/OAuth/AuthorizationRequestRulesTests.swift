import Foundation
import FxACore
import FxAServer
import FxAStore
import Testing
import Vapor

/// RFC 6749 and OpenID Connect rules on how an authorization request is
/// sent: POST as well as GET, each parameter once, no request objects, and
/// a redirect URI named whenever the client has several.
extension AuthorizationPageTests {
    @Test("POST /authorization with a form body is the same request as the GET (OIDC Core §3.1.2.1)")
    func postedRequest() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: true)
            let form = query(client, ["scope": "profile"])
            let posted = try await server.call(
                .POST, "/authorization", headers: [("Content-Type", "application/x-www-form-urlencoded")], rawBody: form)
            #expect(posted.status == .ok, "\(posted.raw)")
            let data = try scriptData(posted)
            #expect(data["clientId"] as? String == client.id)
            #expect(data["state"] as? String == "s+t&a=te</script>")
            #expect(data["scope"] as? String == "profile")

            let refused = try await server.call(
                .POST, "/authorization", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                rawBody: query(client, ["response_type": "token"]))
            #expect(try redirectQuery(refused).query["error"] == "unsupported_response_type")

            let json = try await server.call(
                .POST, "/authorization", headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                rawBody: #"{"client_id":"\#(client.id)"}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.errno == 113)
        }
    }

    @Test("client_id or redirect_uri twice is shown here; any other parameter twice goes back as invalid_request")
    func duplicatedParameters() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let other = try await server.registerClient()
            for extra in ["client_id=\(other.id)", "client_id=\(client.id)", "redirect_uri=\(client.redirectURI)&redirect_uri=https://evil.example/cb"] {
                let page = try await server.call(.GET, "/authorization?" + query(client) + "&" + extra)
                #expect(page.status == .badRequest, "\(extra): \(page.raw)")
                #expect(page.headers.first(name: .location) == nil, "\(extra): never redirected")
                #expect(page.raw.contains("must be sent once"), "\(extra)")
                #expect(page.raw.contains("more than once, so which one is meant is unclear"), "\(extra): the page says why")
            }
            let twoStates = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client) + "&state=other"))
            #expect(twoStates.base == client.redirectURI)
            #expect(twoStates.query["error"] == "invalid_request")
            #expect(twoStates.query["state"] == nil, "which state would it be?")
            let twoScopes = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client) + "&scope=openid"))
            #expect(twoScopes.query["error"] == "invalid_request")
            #expect(twoScopes.query["error_description"] == "scope must be sent once")
            #expect(twoScopes.query["state"] == "s+t&a=te</script>")
            // A parameter without a value is as if omitted (RFC 6749 §3.1).
            let empty = try await server.call(.GET, "/authorization?" + query(client) + "&nonce=&prompt=")
            #expect(empty.status == .ok, "\(empty.raw)")
        }
    }

    @Test("request and request_uri are refused, not ignored")
    func requestObjects() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let object = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client, ["request": "eyJhbGciOiJub25lIn0.eyJtYXhfYWdlIjowfQ."])))
            #expect(object.query["error"] == "request_not_supported")
            #expect(object.query["state"] == "s+t&a=te</script>")
            let uri = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client, ["request_uri": "https://rp.example/r/1"])))
            #expect(uri.query["error"] == "request_uri_not_supported")
        }
    }

    @Test("a client with several redirect URIs must name one; with one it is the default")
    func ambiguousRedirect() async throws {
        try await withTestServer { server in
            let several = try await server.registerClient(redirectURIs: ["https://rp.example/cb", "https://rp.example/other"])
            let page = try await server.call(.GET, "/authorization?" + query(several))
            #expect(page.status == .badRequest, "\(page.raw)")
            #expect(page.headers.first(name: .location) == nil)
            #expect(page.raw.contains("Error 109"))
            #expect(page.raw.contains("registered more than one redirect URI, and the link does not name"))
            let named = try await server.call(.GET, "/authorization?" + query(several, ["redirect_uri": "https://rp.example/other"]))
            #expect(named.status == .ok)

            let (session, _) = try await server.verifiedSession()
            expectOAuthError(try await server.authorize(several, session: session), .badRequest, errno: 109, error: "invalid_request")
            let single = try await server.registerClient()
            #expect(try await server.authorize(single, session: session).string("redirect")?.hasPrefix(single.redirectURI + "?code=") == true)
        }
    }

    @Test("an app registered in the console gets a page, not an automatic redirect, for a refused request (RFC 9700 §4.11.2)")
    func untrustedRedirectsAsk() async throws {
        try await withTestServer { server in
            let developer = try await server.signUp(TestUser())
            let record = OAuthClientRecord(
                id: .random(), name: "Someone's app", redirectURIs: ["https://app.example/cb"], allowedScopes: ["profile"],
                secretHash: TokenHash.random(), createdAt: Date(), ownerUID: AccountUID(hex: developer.uid))
            try await server.dependencies.stores.oauthClients.create(record)
            let client = TestClient(id: record.id.hex, secret: nil, redirectURI: "https://app.example/cb")
            for change: [String: String?] in [["scope": "profile:write"], ["prompt": "none"], ["request": "x"]] {
                let page = try await server.call(.GET, "/authorization?" + query(client, change))
                #expect(page.status == .badRequest, "\(change): \(page.status)")
                #expect(page.headers.first(name: .location) == nil, "\(change): not redirected unasked")
                #expect(page.raw.contains("Return to app.example"), "\(change)")
                #expect(page.raw.contains("href=\"https://app.example/cb?error="), "\(change): the way back carries the error")
                #expect(page.raw.contains("&amp;state=") && !page.raw.contains("&state="), "\(change): the link is escaped")
            }
            // Still a console app after its owner deletes the account.
            let uid = try #require(AccountUID(hex: developer.uid))
            try await server.dependencies.stores.accounts.delete(uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: Date()))
            let orphaned = try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile:write"]))
            #expect(orphaned.status == .badRequest && orphaned.headers.first(name: .location) == nil, "owner gone: still asks")
            // The operator's own clients, registered with the CLI, redirect as before.
            let operators = try await server.registerClient(trusted: false, scopes: ["profile"], unchecked: true)
            #expect(try redirectQuery(try await server.call(.GET, "/authorization?" + query(operators, ["scope": "profile:write"])))
                .query["error"] == "invalid_scope")
        }
    }

    @Test("a query that is not UTF-8 is shown here")
    func brokenEncoding() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            // (A malformed escape such as `%zz` never gets here: Vapor's URI
            // parser re-escapes such a query, so it arrives as literal text.)
            for broken in ["&state=%E2%28%A1", "&%FF=x", "&state=%C0%AF"] {
                let page = try await server.call(.GET, "/authorization?" + query(client, ["state": nil]) + broken)
                #expect(page.status == .badRequest, "\(broken): \(page.raw)")
                #expect(page.headers.first(name: .location) == nil)
            }
        }
    }
}
