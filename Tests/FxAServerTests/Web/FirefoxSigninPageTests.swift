import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// `GET /` as Firefox opens it (FIREFOX.md §1): the WebChannel sign-in for
/// Firefox's own client, an error page (never a redirect to the `urn:`)
/// for anything wrong, and the account's pages without a Firefox context.
@Suite("Firefox's sign-in page at the root")
struct FirefoxSigninPageTests {
    static let desktop = FirstPartyClients.firefoxDesktop.id.hex
    static let oldsync = "https://identity.mozilla.com/apps/oldsync"
    /// Firefox's ephemeral P-256 key, as `keys_jwk` carries it.
    static let keysJWK = Data(#"{"kty":"EC","crv":"P-256","x":"WKn-ZIGevcwGIyyrzFoZNBdaq9_TsqzGl96oc0CWuis","y":"y77t-RvAHRKTsSGdIYUfweuOvwrvDD-Q3Hv5J0fSKbE"}"#.utf8)
        .base64URLEncodedString

    /// The URL Firefox ESR 153 builds (`promiseConnectAccountURI`), with `overrides`.
    static func firefoxURL(_ overrides: [String: String?] = [:]) -> String {
        var parameters: [String: String?] = [
            "context": "oauth_webchannel_v1", "entrypoint": "fxa_app_menu", "action": "email", "service": "sync",
            "client_id": desktop, "response_type": "code", "access_type": "offline", "scope": "\(oldsync) profile",
            "state": "Zm9vYmFyYmF6cXV4cXV1eA", "code_challenge": pkcePair().challenge, "code_challenge_method": "S256",
            "keys_jwk": keysJWK,
        ]
        parameters.merge(overrides) { $1 }
        var components = URLComponents()
        components.path = "/"
        components.queryItems = parameters.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            .sorted { $0.name < $1.name }
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string!
    }

    @Test func firefoxsOwnURLGetsTheWebChannelSignIn() async throws {
        try await withTestServer { server in
            let page = try await server.call(.GET, Self.firefoxURL())
            #expect(page.status == .ok, "\(page.raw)")
            #expect(page.headers.contentType == .html)
            #expect(page.raw.contains("<title>Sign in to Firefox Sync</title>"))
            #expect(page.raw.contains(#"<script src="/assets/webchannel.js"></script>"#))
            // Scripts from our origin only: the data block is JSON, not script.
            let policy = try #require(page.headers.first(name: .contentSecurityPolicy))
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            let data = try Self.scriptData(page.raw)
            let channel = try #require(data["webChannel"] as? [String: Any])
            #expect(channel["context"] as? String == "oauth_webchannel_v1")
            #expect(channel["service"] as? String == "sync")
            #expect(channel["redirect"] as? String == FirstPartyClients.webChannelRedirect)
            #expect(data["keysJwk"] as? String == Self.keysJWK, "the page derives the Sync key for Firefox")
            #expect(data["state"] as? String == "Zm9vYmFyYmF6cXV4cXV1eA")
            #expect(data["denyRedirect"] as? String == "", "nothing in the page points at the urn: as a place")
        }
    }

    @Test func theWebChannelScriptIsServed() async throws {
        try await withTestServer { server in
            let script = try await server.call(.GET, "/assets/webchannel.js")
            #expect(script.status == .ok)
            #expect(script.raw.contains("WebChannelMessageToChrome") && script.raw.contains("account_updates"))
        }
    }

    @Test func theRootWithoutAFirefoxContextIsTheAccount() async throws {
        try await withTestServer(configure: {
            $0.mode = .production
            $0.smtp = try SMTPSettings(url: "smtp://127.0.0.1:1", from: "accounts@example.test")
        }) { server in
            let root = try await server.call(.GET, "/")
            #expect(root.status == .seeOther)
            #expect(root.headers.first(name: .location) == "/settings", "which sends a signed-out browser to sign in")
        }
    }

    /// A development server shows a signed-out browser what to do next,
    /// with its own URLs; signed in, the root is the account's settings.
    @Test func aDevelopmentServersRootSaysWhatToDoNext() async throws {
        try await withTestServer { server in
            let root = try await server.call(.GET, "/")
            #expect(root.status == .ok && root.headers.contentType == .html)
            #expect(root.raw.contains("<h1>Your accounts server is running</h1>"))
            #expect(root.raw.contains(#"href="/signin?next=%2Fsettings""#))
            #expect(root.raw.contains(#"href="https://accounts.example.test/__mail__""#))
            #expect(root.raw.contains("https://accounts.example.test/.well-known/openid-configuration"))
            #expect(root.raw.contains("fxa-server client create --name &quot;My site&quot; --redirect-uri"))
            #expect(root.headers.first(name: .contentSecurityPolicy)?.contains("script-src") == false)

            let browser = try await server.webSignIn(session: try await server.signUp(TestUser()).sessionToken)
            let signedIn = try await server.page("/", browser)
            #expect(signedIn.status == .seeOther && signedIn.headers.first(name: .location) == "/settings")
        }
    }

    @Test func anOlderFirefoxContextIsToldToUpdate() async throws {
        try await withTestServer { server in
            let page = try await server.call(.GET, Self.firefoxURL(["context": "fx_desktop_v3"]))
            #expect(page.status == .badRequest)
            #expect(page.raw.contains("Firefox 140 and later"))
            let twice = try await server.call(.GET, Self.firefoxURL() + "&context=fx_desktop_v3")
            #expect(twice.status == .badRequest)
        }
    }

    @Test func onlyFirefoxSignsInThroughThisPage() async throws {
        try await withTestServer { server in
            let rp = try await server.registerClient(publicClient: true)
            let page = try await server.call(.GET, Self.firefoxURL(["client_id": rp.id, "scope": "profile", "keys_jwk": nil]))
            #expect(page.status == .badRequest)
            #expect(page.headers.first(name: .location) == nil, "no redirect to the RP either")
            #expect(page.raw.contains("Only Firefox signs in through this page"))
        }
    }

    /// Errors that the RP page would redirect with are shown here: the
    /// WebChannel `urn:` is never a place to send the browser.
    @Test func badParametersAreShownNeverRedirected() async throws {
        try await withTestServer { server in
            let cases: [([String: String?], String)] = [
                (["code_challenge": nil, "code_challenge_method": nil], "Public clients must use PKCE"),
                (["scope": "openid"], "This client is not registered for: openid"),
                (["state": nil], "state is required"),
                (["keys_jwk": "bm90LWEta2V5"], "keys_jwk must be"),
                (["response_type": "token"], "Only response_type=code"),
            ]
            for (overrides, text) in cases {
                let page = try await server.call(.GET, Self.firefoxURL(overrides))
                #expect(page.status == .badRequest, "\(overrides)")
                #expect(page.headers.first(name: .location) == nil, "\(overrides)")
                #expect(page.raw.contains(text), "\(overrides): \(page.raw)")
            }
            let unknown = try await server.call(.GET, Self.firefoxURL(["client_id": "0123456789abcdef"]))
            #expect(unknown.status == .badRequest && unknown.raw.contains("No application is registered"))
        }
    }

    @Test func aDisabledFirefoxClientCannotSignIn() async throws {
        try await withTestServer { server in
            _ = try await server.dependencies.clientAdministration()
                .setDisabled(FirstPartyClients.firefoxDesktop.id, true)
            let page = try await server.call(.GET, Self.firefoxURL())
            #expect(page.status == .badRequest)
            #expect(page.raw.contains("disabled"))
        }
    }

    static func scriptData(_ html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: #"<script type="application/json" id="authorization-request">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }
}
