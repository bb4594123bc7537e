import Crypto
import Foundation
import FxACore
import FxAServer
import Testing
import Vapor

/// `GET /authorization`: what an RP's redirect meets before the user signs in.
@Suite("Authorization page")
struct AuthorizationPageTests {
    /// A complete FxA-style request for `client`.
    func query(_ client: TestClient, _ changes: [String: String?] = [:]) -> String {
        let pkce = pkcePair()
        var parameters: [String: String?] = [
            "client_id": client.id, "scope": "profile openid", "state": "s+t&a=te</script>", "entrypoint": "rp-header",
            "code_challenge": pkce.challenge, "code_challenge_method": "S256", "access_type": "offline",
            "utm_source": "newsletter", "utm_campaign": "fall-2026",
        ]
        parameters.merge(changes) { $1 }
        var components = URLComponents()
        components.queryItems = parameters.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            .sorted { $0.name < $1.name }
        // URLComponents leaves `+` alone; a browser's form encoding would not.
        return components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
    }

    /// The JSON the page hands its script.
    func scriptData(_ response: APIResponse) throws -> [String: Any] {
        let start = try #require(response.raw.range(of: #"<script type="application/json" id="authorization-request">"#))
        let end = try #require(response.raw.range(of: "</script>", range: start.upperBound..<response.raw.endIndex))
        let json = String(response.raw[start.upperBound..<end.lowerBound])
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// The query of a redirect's `Location`, decoded.
    func redirectQuery(_ response: APIResponse) throws -> (base: String, query: [String: String]) {
        #expect(response.status == .seeOther || response.status == .found, "\(response.status) \(response.raw)")
        let location = try #require(response.headers.first(name: .location))
        let components = try #require(URLComponents(string: location))
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value }
        return (location.components(separatedBy: "?")[0], query)
    }

    @Test("a valid request shows the sign-in page, carrying what the code request needs")
    func validRequest() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: false, scopes: ["profile", "openid", "profile:email"], unchecked: true)
            let response = try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile:email openid"]))
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .html)
            let csp = try #require(response.headers.first(name: .contentSecurityPolicy))
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
            #expect(response.headers.first(name: .xFrameOptions) == "DENY")
            let data = try scriptData(response)
            #expect(data["clientId"] as? String == client.id)
            #expect(data["state"] as? String == "s+t&a=te</script>")
            #expect(data["scope"] as? String == "openid profile:email")
            #expect(data["accessType"] as? String == "offline")
            #expect((data["codeChallenge"] as? String)?.count == 43)
            #expect(data["askConsent"] as? Bool == true, "untrusted clients ask for consent")
            #expect(data["redirectUri"] == nil, "no redirect_uri sent, none bound to the code")
            #expect(data["action"] as? String == "email")
            #expect(!response.raw.contains("te</script>\""), "a state cannot close the script element")
            let deny = try #require(data["denyRedirect"] as? String)
            #expect(deny.hasPrefix(client.redirectURI + "?error=access_denied"))
            #expect(deny.contains("state=s%2Bt%26a%3Dte%3C%2Fscript%3E"))
        }
    }

    @Test("client names are escaped, trusted clients skip consent, /oauth/signin starts at sign-in")
    func escapingAndVariants() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            let (record, _) = try await admin.create(.init(
                name: "<img src=x onerror=alert(1)>", redirectURIs: ["https://rp.example/cb"], allowedScopes: ["profile"],
                publicClient: false, trusted: true, imageURI: "https://cdn.rp.example/icon.png", webhookURL: nil,
                jwtAccessTokens: false))
            let client = TestClient(id: record.id.hex, secret: nil, redirectURI: "https://rp.example/cb")
            let page = try await server.call(.GET, "/oauth/signin?" + query(client, ["scope": "profile"]))
            #expect(page.status == .ok)
            #expect(!page.raw.contains("<img src=x"))
            #expect(page.raw.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(page.headers.first(name: .contentSecurityPolicy)?.contains("img-src 'self' https://cdn.rp.example") == true)
            let data = try scriptData(page)
            #expect(data["askConsent"] as? Bool == false)
            #expect(data["action"] as? String == "signin")
            let consent = try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile", "prompt": "consent"]))
            #expect(try scriptData(consent)["askConsent"] as? Bool == true, "prompt=consent asks even for trusted clients")
        }
    }

    @Test("an unknown client or unregistered redirect_uri is shown here, never redirected")
    func notRedirected() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let cases: [([String: String?], Int)] = [
                (["client_id": "0123456789abcdef"], 101),
                (["client_id": "not-hex"], 109),
                (["client_id": nil], 109),
                (["redirect_uri": "https://evil.example/cb"], 103),
                (["redirect_uri": client.redirectURI + "/"], 103),
                (["redirect_uri": client.redirectURI.uppercased()], 103),
            ]
            for (change, errno) in cases {
                let page = try await server.call(.GET, "/authorization?" + query(client, change))
                #expect(page.status == .badRequest, "\(change)")
                #expect(page.headers.first(name: .location) == nil, "\(change)")
                #expect(page.headers.contentType == .html)
                #expect(page.raw.contains("Error \(errno)"), "\(change): \(page.raw)")
                let json = try await server.call(
                    .GET, "/authorization?" + query(client, change), headers: [("Accept", "application/json")])
                #expect(json.errno == errno, "\(change): \(json.raw)")
            }
        }
    }

    @Test("other invalid parameters go back to the RP with error and state (RFC 6749 §4.1.2.1)")
    func redirectedErrors() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: true, scopes: ["profile", "openid", "profile:email"])
            let untrusted = try await server.registerClient(trusted: false, scopes: ["profile", "openid"], unchecked: true)
            let publicClient = try await server.registerClient(publicClient: true, redirectURIs: ["http://127.0.0.1:8123/cb"])
            let cases: [(TestClient, [String: String?], String)] = [
                (client, ["response_type": "token"], "unsupported_response_type"),
                (client, ["response_mode": "fragment"], "invalid_request"),
                (client, ["scope": nil], "invalid_scope"),
                (client, ["scope": "profile:email https://identity.mozilla.com/apps/oldsync"], "invalid_scope"),
                (untrusted, ["scope": "profile"], "invalid_scope"),
                (client, ["entrypoint": "has space"], "invalid_request"),
                (client, ["code_challenge_method": "plain"], "invalid_request"),
                (client, ["code_challenge": "short"], "invalid_request"),
                (client, ["code_challenge_method": nil], "invalid_request"),
                (publicClient, ["code_challenge": nil, "code_challenge_method": nil], "invalid_request"),
                (client, ["action": "register"], "invalid_request"),
                (client, ["action": "force_auth"], "invalid_request"),
                (client, ["email": "not an email"], "invalid_request"),
                (client, ["access_type": "forever"], "invalid_request"),
                (client, ["prompt": "none login"], "invalid_request"),
                (client, ["prompt": "select_account"], "invalid_request"),
                (client, ["max_age": "-1"], "invalid_request"),
                (client, ["max_age": "soon"], "invalid_request"),
                (client, ["acr_values": String(repeating: "A", count: 257)], "invalid_request"),
                (client, ["nonce": String(repeating: "n", count: 257)], "invalid_request"),
                (client, ["keys_jwk": "eyJrdHkiOiJSU0EifQ"], "invalid_request"),
                // A point that is not on the curve (an invalid-curve attack).
                (client, ["keys_jwk": Data(#"{"kty":"EC","crv":"P-256","x":"\#(Data(repeating: 1, count: 32).base64URLEncodedString)","y":"\#(Data(repeating: 2, count: 32).base64URLEncodedString)"}"#.utf8).base64URLEncodedString], "invalid_request"),
                (client, ["login_hint": String(repeating: "a", count: 256)], "invalid_request"),
            ]
            for (target, change, error) in cases {
                let response = try await server.call(.GET, "/authorization?" + query(target, change))
                let (base, parameters) = try redirectQuery(response)
                #expect(base == target.redirectURI, "\(change)")
                #expect(parameters["error"] == error, "\(change): \(parameters)")
                #expect(parameters["error_description"]?.isEmpty == false)
                #expect(parameters["state"] == "s+t&a=te</script>", "\(change): the RP gets its state back")
                #expect(parameters["code"] == nil)
            }
            // invalid_scope says why, so the developer knows what to change.
            let (_, refused) = try redirectQuery(try await server.call(.GET, "/authorization?" + query(untrusted, ["scope": "profile openid"])))
            #expect(refused["error_description"] == "This client is not trusted, so it may be granted only openid profile:uid "
                    + "profile:email profile:display_name, not: profile", "\(refused)")
            let (_, unregistered) = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile:write"])))
            #expect(unregistered["error_description"]?.hasPrefix("This client is not registered for: profile:write") == true, "\(unregistered)")
            let stateless = try await server.call(.GET, "/authorization?" + query(client, ["state": nil]))
            let (_, parameters) = try redirectQuery(stateless)
            #expect(parameters["error"] == "invalid_request" && parameters["state"] == nil)
        }
    }

    @Test("requests without FxA's metrics parameters (PyFxA's get_redirect_url, standard OIDC) and every optional parameter are accepted")
    func optionalParameters() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient(trusted: true)
            let jwk = try P256PublicJWK(P256.KeyAgreement.PrivateKey().publicKey).keysJWKParameter
            let standard = try await server.call(.GET, "/authorization?" + query(client, [
                "entrypoint": nil, "response_type": "code", "response_mode": "query", "nonce": "n-1", "max_age": "0",
                "prompt": "login", "login_hint": "a@example.com", "acr_values": "AAL1", "redirect_uri": client.redirectURI,
                "keys_jwk": jwk, "action": "force_auth", "email": "a@example.com",
                "utm_medium": "bad value!", "entrypoint_experiment": "exp-1",
            ]))
            #expect(standard.status == .ok, "\(standard.raw)")
            let data = try scriptData(standard)
            #expect(data["nonce"] as? String == "n-1")
            #expect(data["redirectUri"] as? String == client.redirectURI)
            #expect(data["email"] as? String == "a@example.com")
            #expect(data["action"] as? String == "force_auth")
            let bare = try await server.call(.GET, "/authorization?client_id=\(client.id)&state=s&scope=profile")
            #expect(bare.status == .ok, "no entrypoint, no response_type: \(bare.raw)")
        }
    }

    @Test("prompt=none without a browser session answers login_required")
    func promptNone() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (_, parameters) = try redirectQuery(try await server.call(.GET, "/authorization?" + query(client, ["prompt": "none"])))
            #expect(parameters["error"] == "login_required")
            #expect(parameters["state"] == "s+t&a=te</script>")
        }
    }

    @Test("GET /v1/authorization forwards to the page, but refuses keys_jwk (errno 109)")
    func legacyRoute() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let forwarded = try await server.call(.GET, "/v1/authorization?client_id=\(client.id)&state=x&scope=profile")
            #expect(forwarded.headers.first(name: .location)
                == "https://accounts.example.test/authorization?client_id=\(client.id)&state=x&scope=profile")
            let refused = try await server.call(.GET, "/v1/authorization?client_id=\(client.id)&keys_jwk=abc")
            expectOAuthError(refused, .badRequest, errno: 109, error: "invalid_request")
        }
    }

    @Test("keys_jwk reaches the page's script only when a key-bearing scope is asked for")
    func keysJWKGoesToThePageForKeyBearingScopes() async throws {
        try await withTestServer { server in
            let sync = ScopedKeyDerivation.oldsync
            let client = try await server.registerClient(scopes: ["profile", "openid", sync])
            let jwk = try P256PublicJWK(P256.KeyAgreement.PrivateKey().publicKey).keysJWKParameter
            let withKeys = try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile \(sync)", "keys_jwk": jwk]))
            #expect(withKeys.status == .ok, "\(withKeys.raw)")
            #expect(try scriptData(withKeys)["keysJwk"] as? String == jwk)
            let noKeyScope = try await server.call(.GET, "/authorization?" + query(client, ["scope": "profile", "keys_jwk": jwk]))
            #expect(try scriptData(noKeyScope)["keysJwk"] == nil, "no key to derive: kB is not fetched")
        }
    }

    @Test("the page script and stylesheet are served by the server itself")
    func assets() async throws {
        try await withTestServer { server in
            let script = try await server.call(.GET, "/assets/signin.js")
            #expect(script.status == .ok)
            #expect(script.headers.first(name: .contentType) == "application/javascript; charset=utf-8")
            #expect(script.raw.contains("/v1/oauth/authorization") && script.raw.contains("window.fxaOnepw"))
            let onepw = try await server.call(.GET, "/assets/onepw.js")
            #expect(onepw.headers.first(name: .contentType) == "application/javascript; charset=utf-8")
            #expect(onepw.raw.contains("identity.mozilla.com/picl/v1/") && onepw.raw.contains("quickStretch:"))
            let settings = try await server.call(.GET, "/assets/settings.js")
            #expect(settings.raw.contains("/v1/web/password/change/start") && settings.raw.contains("X-CSRF-Token"))
            let style = try await server.call(.GET, "/assets/fxa.css")
            #expect(style.headers.first(name: .contentType) == "text/css; charset=utf-8")
        }
    }
}

/// `GET /metrics-flow` and the flow ids `/authorization` accepts.
@Suite("Metrics flow")
struct MetricsFlowTests {
    @Test("a flow from /metrics-flow is carried by /authorization; forged and stale ones are dropped, not fatal")
    func flowRoundTrip() async throws {
        try await withTestServer { server in
            let flow = try await server.call(
                .GET, "/metrics-flow?entrypoint=rp-email&form_type=email&utm_source=rp&utm_campaign=fall-2026")
            #expect(flow.status == .ok, "\(flow.raw)")
            let flowID = try #require(flow.string("flowId"))
            let begin = try #require(flow.json["flowBeginTime"] as? Int64)
            #expect(flowID.count == 64)
            #expect((flow.string("deviceId") ?? "").count == 32)
            #expect(abs(Double(begin) - server.clock.now().timeIntervalSince1970 * 1000) < 1000)

            let client = try await server.registerClient()
            func page(_ id: String, _ begin: Int64) async throws -> [String: Any] {
                let response = try await server.call(
                    .GET, "/authorization?client_id=\(client.id)&scope=profile&state=s&entrypoint=rp-email"
                        + "&email=a%40example.com&flow_id=\(id)&flow_begin_time=\(begin)")
                #expect(response.status == .ok, "\(response.raw)")
                return try AuthorizationPageTests().scriptData(response)
            }
            server.clock.advance(by: 60)
            let valid = try await page(flowID, begin)
            #expect(valid["flowId"] as? String == flowID)
            #expect(valid["flowBeginTime"] as? Int64 == begin)
            let forged = try await page(String(flowID.dropLast()) + (flowID.hasSuffix("0") ? "1" : "0"), begin)
            #expect(forged["flowId"] == nil)
            let otherTime = try await page(flowID, begin - 1)
            #expect(otherTime["flowId"] == nil)
            server.clock.advance(by: 2 * 3600)
            let stale = try await page(flowID, begin)
            #expect(stale["flowId"] == nil)
        }
    }

    @Test("invalid metrics parameters are refused with errno 107 naming them")
    func invalidParameters() async throws {
        try await withTestServer { server in
            let cases = [
                ("entrypoint=has%20space", "entrypoint"), ("form_type=banner", "form_type"),
                ("utm_source=%3Cscript%3E", "utm_source"), ("entrypoint=" + String(repeating: "e", count: 129), "entrypoint"),
                ("utm_campaign=ok&utm_term=a%20b", "utm_term"),
            ]
            for (query, key) in cases {
                let response = try await server.call(.GET, "/metrics-flow?" + query)
                #expect(response.status == .badRequest)
                #expect(response.errno == 107)
                let validation = try #require(response.json["validation"] as? [String: Any])
                #expect(validation["keys"] as? [String] == [key], "\(query)")
            }
            let referral = try await server.call(.GET, "/metrics-flow?utm_campaign=page+referral+-+not+part+of+a+campaign")
            #expect(referral.status == .ok, "FxA's own referral campaign value")
        }
    }
}
