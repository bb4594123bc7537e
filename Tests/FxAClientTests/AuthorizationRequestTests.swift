@testable import FxAClient
import FxACore
import Foundation
import Testing

@Suite("Authorization requests")
struct AuthorizationRequestTests {
    private func query(_ url: URL) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func theURLCarriesEveryRequiredParameterAndAnS256Challenge() async throws {
        let provider = try FakeProvider()
        let client = try provider.client()
        var request = client.authorizationRequest(entrypoint: "notes-home")
        request.utm = UTMParameters(source: "newsletter", campaign: "fall")
        request.action = .email
        request.email = "a+b@example.test"
        let (url, pending) = try await client.prepare(request)
        let items = query(url)
        #expect(url.path == "/authorization")
        #expect(items["client_id"] == FakeProvider.clientID)
        #expect(items["scope"] == "openid profile")
        #expect(items["state"] == pending.state)
        #expect(items["nonce"] == pending.nonce)
        #expect(items["entrypoint"] == "notes-home")
        #expect(items["response_type"] == "code")
        #expect(items["redirect_uri"] == "https://rp.example.test/auth/callback")
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["code_challenge"] == PKCEPair.challenge(for: try #require(pending.pkce).verifier))
        #expect(items["access_type"] == "offline")
        #expect(items["action"] == "email")
        #expect(items["email"] == "a+b@example.test", "a + must survive form decoding")
        #expect(items["utm_source"] == "newsletter" && items["utm_campaign"] == "fall")
        #expect(pending.state.count >= 43 && pending.pkce?.verifier.count == 43)
        #expect(!"\(pending)".contains(pending.state) && !"\(pending)".contains(pending.pkce!.verifier), "secrets not printed")
    }

    @Test func everyPreparationGetsFreshSecrets() async throws {
        let client = try FakeProvider().client()
        let request = client.authorizationRequest(entrypoint: "home")
        let (_, first) = try await client.prepare(request)
        let (_, second) = try await client.prepare(request)
        #expect(first.state != second.state)
        #expect(first.pkce != second.pkce)
        #expect(first.nonce != second.nonce)
    }

    @Test func challengeMatchesAnIndependentComputation() {
        // base64url(sha256(verifier)) computed with Python's hashlib.
        #expect(PKCEPair.challenge(for: "dBjftJeZ4CVP-mJ92IZMpwWmNxqFnDGnxaKAWzt4gFk") == "Y_rvgHTr_TnjUqLuX4y4eAcdYC02mExNBpVlHQuwb78")
    }

    @Test func badMetricsValuesAndForceAuthWithoutEmailAreRefused() async throws {
        // Not literals: a literal goes through `init(stringLiteral:)`, which
        // traps on a bad value as the programming error it is.
        for bad in ["has space", String(repeating: "a", count: 129), "", "é"] {
            #expect(throws: FxAClientError.self) { try MetricsValue(bad) }
        }
        let client = try FakeProvider().client()
        var request = client.authorizationRequest(entrypoint: "home")
        request.action = .forceAuth
        await #expect(throws: FxAClientError.invalidConfiguration("action force_auth needs an email")) {
            try await client.prepare(request)
        }
    }

    @Test func returnToMustBeALocalPath() async throws {
        let client = try FakeProvider().client()
        for (path, kept) in [("/notes?x=1", true), ("//evil.test/", false), ("https://evil.test", false), ("/\\evil", false)] {
            var request = client.authorizationRequest(entrypoint: "home")
            request.returnTo = path
            #expect((try await client.prepare(request).pending.returnTo != nil) == kept, "\(path)")
        }
    }

    @Test func metricsFlowIsBegunWithFormTypeEmail() async throws {
        let provider = try FakeProvider()
        let flow = try await provider.client().beginMetricsFlow(entrypoint: "home", utm: UTMParameters(source: "site", campaign: "c1"))
        #expect(flow.flowID.count == 64 && flow.flowBeginTime == 1_700_000_000_123)
        let sent = try #require(provider.requests(to: "/metrics-flow").first)
        #expect(sent.headers.contains { $0.name == "Origin" && $0.value == "https://rp.example.test" }, "Mozilla allows listed origins only")
        let items = query(sent.url)
        #expect(items["form_type"] == "email" && items["entrypoint"] == "home")
        #expect(items["utm_source"] == "site" && items["utm_campaign"] == "c1")
    }

    @Test func discoveryForAnotherIssuerIsRefused() async throws {
        let provider = try FakeProvider()
        provider.setDiscoveryIssuer("https://evil.example.test")
        await #expect {
            try await provider.client().metadata()
        } throws: { error in
            guard case .discoveryFailed(let why) = error as? FxAClientError else { return false }
            return why.contains("evil.example.test")
        }
    }

    @Test func theSecretNeverAppearsInDescriptions() throws {
        let credentials = try FxAClientCredentials(clientID: "abc", secret: ClientSecret("hunter2-secret"))
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials.secret!).contains("hunter2"))
        let tokens = TokenSet(accessToken: "AT-secret", scope: "profile", expiresIn: 1, refreshToken: "RT-secret")
        #expect(!"\(tokens)".contains("secret"))
    }

    @Test func providerPresetsAndEnvironment() throws {
        #expect(FxAProvider.production.discoveryURL.absoluteString == "https://accounts.firefox.com/.well-known/openid-configuration")
        #expect(try FxAProvider(named: "https://example.org/fxa").discoveryURL.absoluteString
            == "https://example.org/fxa/.well-known/openid-configuration")
        #expect(throws: FxAClientError.self) { try FxAProvider(named: "ftp://example.org") }
        let configuration = try FxAClientConfiguration.fromEnvironment(
            ["FXA_ISSUER": "stage", "FXA_CLIENT_ID": "abc", "FXA_REDIRECT_URI": "http://127.0.0.1:8080/auth/callback",
             "FXA_SCOPE": "profile openid https://identity.mozilla.com/apps/oldsync"])
        #expect(configuration.provider == .stage && configuration.credentials.isPublicClient)
        #expect(configuration.scope.sortedValues.count == 3)
        #expect(throws: FxAClientError.self) { try FxAClientConfiguration.fromEnvironment(["FXA_REDIRECT_URI": "http://x/"]) }
    }
}
