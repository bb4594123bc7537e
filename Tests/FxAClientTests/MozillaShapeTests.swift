@testable import FxAClient
import FxACore
import Foundation
import Testing

/// The kit against a provider shaped like Mozilla's FxA (see
/// ``FakeProvider/Shape/mozilla``), and the key cache's refresh rules.
@Suite("Against Mozilla's FxA, and key refresh")
struct MozillaShapeTests {
    private func query(_ url: URL) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func theMozillaPresetsDoNotRequireANonce() throws {
        let credentials = try FxAClientCredentials(clientID: "abc")
        let redirect = URL(string: "https://rp.example/cb")!
        #expect(!FxAClientConfiguration(provider: .production, credentials: credentials, redirectURI: redirect).requireIDTokenNonce)
        #expect(!FxAClientConfiguration(provider: .stage, credentials: credentials, redirectURI: redirect).requireIDTokenNonce)
        #expect(FxAClientConfiguration(provider: .local, credentials: credentials, redirectURI: redirect).requireIDTokenNonce)
    }

    @Test func aConfidentialClientSendsNoPKCEToMozillaAndSignsInWithoutANonce() async throws {
        let provider = try FakeProvider(shape: .mozilla)
        let client = try provider.client()
        let (url, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        #expect(query(url)["code_challenge"] == nil && pending.pkce == nil, "FxA answers errno 116 to PKCE from a confidential client")
        provider.answerToken([
            "access_token": "AT1", "scope": "profile openid", "expires_in": 60, "auth_at": 1_700_000_000,
            "id_token": try provider.sign(provider.idTokenClaims(nonce: pending.nonce)),
        ])
        let signIn = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        #expect(signIn.idToken?.amr == ["pwd", "email"] && signIn.idToken?.fxaAAL == 1)
        let body = String(decoding: try #require(provider.requests(to: "/v1/token").first?.body), as: UTF8.self)
        #expect(!body.contains("code_verifier") && body.contains("client_secret="))
    }

    @Test func aPublicClientStillUsesPKCEAtMozilla() async throws {
        let provider = try FakeProvider(shape: .mozilla)
        let client = try provider.client(secret: nil)
        let (url, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        #expect(query(url)["code_challenge_method"] == "S256" && pending.pkce != nil)
    }

    @Test func aWrongNonceIsRefusedEvenWhenNoneIsRequired() async throws {
        let provider = try FakeProvider(shape: .mozilla)
        let client = try provider.client()
        let (_, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        var claims = provider.idTokenClaims(nonce: pending.nonce)
        claims["nonce"] = "not-the-one"
        provider.answerToken(["access_token": "AT", "scope": "openid", "expires_in": 60, "id_token": try provider.sign(claims)])
        await #expect(throws: FxAClientError.invalidIDToken(.nonceMismatch)) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func withoutANonceAStandardProvidersIDTokenIsRefused() async throws {
        let provider = try FakeProvider()
        let client = try provider.client()
        let (_, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        var claims = provider.idTokenClaims(nonce: pending.nonce)
        claims["nonce"] = nil
        provider.answerToken(["access_token": "AT", "scope": "openid", "expires_in": 60, "id_token": try provider.sign(claims)])
        await #expect(throws: FxAClientError.invalidIDToken(.missingClaim("nonce"))) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func signOutUsesV1DestroyFieldsAndADeadTokenIsNoError() async throws {
        let provider = try FakeProvider(shape: .mozilla)
        let client = try provider.client()
        provider.kill(token: "AT-dead")
        try await client.signOut(TokenSet(accessToken: "AT-dead", scope: "profile", expiresIn: 60, refreshToken: "RT9"))
        let bodies = provider.requests(to: "/v1/destroy").map { String(decoding: $0.body ?? Data(), as: UTF8.self) }
        #expect(bodies.count == 2)
        #expect(bodies.contains { $0.contains("refresh_token=RT9") && !$0.contains("token_type_hint") })
        #expect(bodies.contains { $0.contains("access_token=AT-dead") })
    }

    @Test func aFailingJWKSIsNotRefetchedOnEveryToken() async throws {
        let provider = try FakeProvider()
        let verifier = try await provider.client().securityEventVerifier(seen: InMemorySeenTokenStore())
        provider.setJWKSDown(true)
        let token = try provider.sign([
            "iss": FakeProvider.issuer, "aud": FakeProvider.clientID, "sub": "u1",
            "iat": provider.clock.now().timeIntervalSince1970, "jti": "j1", "events": [String: Any](),
        ])
        for _ in 0..<5 {
            await #expect(throws: FxAClientError.self) { try await verifier.verify(token: token) }
        }
        #expect(provider.requests(to: "/v1/jwks").count == 1, "one attempt per minimum interval")
        provider.setJWKSDown(false)
        provider.clock.advance(by: 31)
        _ = try await verifier.verify(token: token)
    }

    @Test func aWithdrawnKeyStopsBeingTrustedWhenTheSetExpires() async throws {
        let provider = try FakeProvider()
        let verifier = try await provider.client().securityEventVerifier(seen: InMemorySeenTokenStore(clock: { provider.clock.now() }))
        let old = provider.currentKey
        func token(_ jti: String) throws -> String {
            try provider.sign([
                "iss": FakeProvider.issuer, "aud": FakeProvider.clientID, "sub": "u1",
                "iat": provider.clock.now().timeIntervalSince1970, "jti": jti, "events": [String: Any](),
            ], key: old)
        }
        _ = try await verifier.verify(token: try token("a"))
        provider.publish([try FakeProvider.makeKey("key-2")])
        provider.clock.advance(by: 600)
        _ = try await verifier.verify(token: try token("b"))  // still cached
        provider.clock.advance(by: 3000)
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.unknownKey("key-1"))) {
            try await verifier.verify(token: try token("c"))
        }
    }
}
