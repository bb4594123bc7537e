@testable import FxAClient
import FxACore
import Foundation
import Testing

@Suite("Callback, code exchange and ID token")
struct CallbackTests {
    /// Starts a sign-in and scripts the token endpoint with an ID token
    /// built from `claims` (after `adjust`) and signed by `sign`.
    private func signIn(
        _ provider: FakeProvider, adjust: (inout [String: Any]) -> Void = { _ in },
        sign: ((FakeProvider, [String: Any]) throws -> String)? = nil, accessToken: String = "AT1"
    ) async throws -> (FxAClient, PendingAuthorization) {
        let client = try provider.client()
        let (_, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        var claims = provider.idTokenClaims(nonce: pending.nonce)
        adjust(&claims)
        let idToken = try sign.map { try $0(provider, claims) } ?? provider.sign(claims)
        provider.answerToken([
            "access_token": accessToken, "token_type": "bearer", "scope": "profile openid", "expires_in": 3600,
            "refresh_token": "RT1", "id_token": idToken,
        ])
        return (client, pending)
    }

    private func expectRejection(_ expected: TokenRejection, _ client: FxAClient, _ pending: PendingAuthorization) async {
        await #expect(throws: FxAClientError.invalidIDToken(expected)) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func aValidCallbackExchangesTheCodeWithVerifierAndSecret() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        let signIn = try await client.completeAuthorization(AuthorizationCallback(code: "the-code", state: pending.state), pending: pending)
        #expect(signIn.uid == "u1" && signIn.profile.email == "user@example.test" && signIn.idToken?.sub == "u1")
        let body = String(decoding: try #require(provider.requests(to: "/v1/token").first?.body), as: UTF8.self)
        let verifier = try #require(pending.pkce).verifier
        #expect(body.contains("code=the-code") && body.contains("code_verifier=\(verifier)"))
        #expect(body.contains("client_secret=s3cret-value") && body.contains("grant_type=authorization_code"))
    }

    @Test func wrongStateIsRefusedBeforeAnyExchange() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        await #expect(throws: FxAClientError.stateMismatch) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state + "x"), pending: pending)
        }
        await #expect(throws: FxAClientError.stateMismatch) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c"), pending: pending)
        }
        #expect(provider.requests(to: "/v1/token").isEmpty)
    }

    @Test func replayedCallbackFindsNoPendingAuthorization() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        _ = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        // The app removed `pending` from the session on first use.
        await #expect(throws: FxAClientError.noPendingAuthorization) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: nil)
        }
    }

    @Test func staleAuthorizationIsRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        provider.clock.advance(by: 3601)
        await #expect(throws: FxAClientError.noPendingAuthorization) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func providerErrorInTheCallbackIsReported() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        await #expect(throws: FxAClientError.authorizationDenied(error: "access_denied", description: "no")) {
            try await client.completeAuthorization(
                AuthorizationCallback(state: pending.state, error: "access_denied", errorDescription: "no"), pending: pending)
        }
    }

    @Test func aRefusedCodeSurfacesTheProvidersErrno() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        provider.answerToken(nil)
        await #expect(throws: FxAClientError.providerError(status: 400, errno: 105, error: "Bad Request", message: "Unknown code")) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func idTokenSignedByAnotherKeyIsRefused() async throws {
        let provider = try FakeProvider()
        let impostor = try FakeProvider.makeKey("key-1")
        let (client, pending) = try await signIn(provider, sign: { try $0.sign($1, key: impostor) })
        await expectRejection(.badSignature, client, pending)
    }

    @Test func idTokenForAnotherAudienceIsRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider, adjust: { $0["aud"] = "someone-else" })
        await expectRejection(.wrongAudience, client, pending)
        let (client2, pending2) = try await signIn(provider, adjust: { $0["aud"] = [FakeProvider.clientID, "other"] })
        await expectRejection(.wrongAudience, client2, pending2)
    }

    @Test func expiredIDTokenIsRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider, adjust: { $0["exp"] = ($0["iat"] as! Int) - 61 })
        await expectRejection(.expired, client, pending)
    }

    @Test func wrongIssuerNonceAndAtHashAreRefused() async throws {
        let provider = try FakeProvider()
        let (c1, p1) = try await signIn(provider, adjust: { $0["iss"] = "https://evil.test" })
        await expectRejection(.wrongIssuer, c1, p1)
        let (c2, p2) = try await signIn(provider, adjust: { $0["nonce"] = "other" })
        await expectRejection(.nonceMismatch, c2, p2)
        let (c3, p3) = try await signIn(provider, adjust: { $0["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA" })
        await expectRejection(.accessTokenHashMismatch, c3, p3)
        let (c4, p4) = try await signIn(provider, adjust: { $0["iat"] = ($0["iat"] as! Int) + 600 })
        await expectRejection(.issuedAtOutOfRange, c4, p4)
    }

    @Test func aCorrectAtHashIsAccepted() async throws {
        let provider = try FakeProvider()
        // at_hash of "AT1" (left half of SHA-256, base64url), computed with
        // Python's hashlib.
        let (client, pending) = try await signIn(provider, adjust: { $0["at_hash"] = "4i2HR-b9ubbL3JSrBgJbKg" })
        _ = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
    }

    @Test func unsignedAndHMACTokensAreRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider, sign: { try $0.sign($1, alg: "none") })
        await expectRejection(.unsupportedAlgorithm("none"), client, pending)
        let (client2, pending2) = try await signIn(provider, sign: { try $0.sign($1, alg: "HS256") })
        await expectRejection(.unsupportedAlgorithm("HS256"), client2, pending2)
    }

    @Test func unknownKidRefetchesTheJWKSOnceThenFails() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        _ = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        #expect(provider.requests(to: "/v1/jwks").count == 1)
        provider.clock.advance(by: 31)
        let stranger = try FakeProvider.makeKey("key-unknown")
        for expectedFetches in [2, 2] {
            let (_, next) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
            let token = try provider.sign(provider.idTokenClaims(nonce: next.nonce), key: stranger)
            provider.answerToken(["access_token": "AT", "scope": "profile openid", "expires_in": 60, "id_token": token])
            await expectRejection(.unknownKey("key-unknown"), client, next)
            // Refetched once for the unknown kid; a second such token within
            // the minimum interval does not refetch again.
            #expect(provider.requests(to: "/v1/jwks").count == expectedFetches)
        }
    }

    @Test func aRotatedKeyIsPickedUpByTheRefetch() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        _ = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        let rotated = try FakeProvider.makeKey("key-2")
        provider.publish([rotated])
        provider.clock.advance(by: 31)
        let (_, pending2) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        let token = try provider.sign(provider.idTokenClaims(nonce: pending2.nonce), key: rotated)
        provider.answerToken(["access_token": "AT2", "scope": "profile openid", "expires_in": 60, "id_token": token])
        let signIn = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending2.state), pending: pending2)
        #expect(signIn.idToken?.sub == "u1")
    }

    @Test func missingIDTokenWhenOpenIDWasAskedIsRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider)
        provider.answerToken(["access_token": "AT", "scope": "profile openid", "expires_in": 60])
        await expectRejection(.missingClaim("id_token"), client, pending)
    }

    @Test func withOpenIDAloneTheIDTokenIsTheProfile() async throws {
        let provider = try FakeProvider()
        let client = try provider.client(scope: "openid")
        let (_, pending) = try await client.prepare(client.authorizationRequest(entrypoint: "test"))
        provider.answerToken([
            "access_token": "AT", "scope": "openid", "expires_in": 60,
            "id_token": try provider.sign(provider.idTokenClaims(nonce: pending.nonce, sub: "u7")),
        ])
        let signIn = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        #expect(signIn.uid == "u7" && signIn.profile.email == nil)
        #expect(provider.requests(to: "/v1/profile").isEmpty)
    }

    @Test func aProfileForAnotherUserThanTheIDTokenIsRefused() async throws {
        let provider = try FakeProvider()
        let (client, pending) = try await signIn(provider, adjust: { $0["sub"] = "someone-else" })
        await #expect(throws: FxAClientError.invalidIDToken(.subjectMismatch)) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func signOutDestroysBothTokens() async throws {
        let provider = try FakeProvider()
        let client = try provider.client()
        try await client.signOut(TokenSet(accessToken: "AT9", scope: "profile", expiresIn: 60, refreshToken: "RT9"))
        let bodies = provider.requests(to: "/v1/oauth/destroy").map { String(decoding: $0.body ?? Data(), as: UTF8.self) }
        #expect(bodies.count == 2)
        #expect(bodies.contains { $0.contains("token=RT9") && $0.contains("token_type_hint=refresh_token") })
        #expect(bodies.contains { $0.contains("token=AT9") && $0.contains("token_type_hint=access_token") })
    }
}

