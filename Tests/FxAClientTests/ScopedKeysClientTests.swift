import Crypto
@testable import FxAClient
import FxACore
import Foundation
import Testing

/// Asking for scoped keys, and opening the `keys_jwe` that comes back.
@Suite("Scoped keys in FxAClient")
struct ScopedKeysClientTests {
    private func query(_ url: URL) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func theKeysSentToKeysJWKComeBackDecryptedAndChecked() async throws {
        let provider = try FakeProvider()
        let client = try provider.client(scope: "profile openid https://identity.mozilla.com/apps/oldsync")
        var request = client.authorizationRequest(entrypoint: "sync")
        request.scopedKeys = true
        let (url, pending) = try await client.prepare(request)
        let jwk = try #require(query(url)["keys_jwk"].flatMap(P256PublicJWK.init(keysJWKParameter:)), "a public P-256 key is sent")
        #expect(!"\(pending)".contains(pending.scopedKeysPrivateKey!), "the private half is not printed")

        // What FxA's page does: derive from kB, encrypt to keys_jwk.
        let kB = SecureRandom.bytes(32)
        let sync = ScopedKeyDerivation.derive(
            kB: kB, uid: SecureRandom.bytes(16), identifier: ScopedKeyDerivation.oldsync, keyRotationSecret: Data(count: 32),
            keyRotationTimestamp: 1_700_000_000_123)
        let bundle = try JSONEncoder().encode([ScopedKeyDerivation.oldsync: sync])
        provider.answerToken([
            "access_token": "AT", "scope": "profile openid https://identity.mozilla.com/apps/oldsync", "expires_in": 60,
            "id_token": try provider.sign(provider.idTokenClaims(nonce: pending.nonce)),
            "keys_jwe": try KeysJWE.encrypt(bundle, to: jwk),
        ])
        let signIn = try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        #expect(signIn.scopedKeys[ScopedKeyDerivation.oldsync] == sync)
        #expect(signIn.scopedKeys[ScopedKeyDerivation.oldsync]?.keyBytes?.count == 64)
    }

    @Test func aSignInThatAskedForKeysAndGotNoneFails() async throws {
        let provider = try FakeProvider()
        let client = try provider.client(scope: "profile openid https://identity.mozilla.com/apps/oldsync")
        var request = client.authorizationRequest(entrypoint: "sync")
        request.scopedKeys = true
        let (_, pending) = try await client.prepare(request)
        provider.answerToken([
            "access_token": "AT", "scope": "profile openid https://identity.mozilla.com/apps/oldsync", "expires_in": 60,
            "id_token": try provider.sign(provider.idTokenClaims(nonce: pending.nonce)),
        ])
        await #expect(throws: FxAClientError.invalidScopedKeys("keys were asked for (keys_jwk) but no keys_jwe came back")) {
            try await client.completeAuthorization(AuthorizationCallback(code: "c", state: pending.state), pending: pending)
        }
    }

    @Test func keysEncryptedToAnotherKeyOrMalformedAreRefused() throws {
        var pending = PendingAuthorization(
            state: "s", pkce: nil, nonce: "n", redirectURI: URL(string: "https://rp.example/cb")!, scope: "profile", createdAt: Date())
        let mine = P256.KeyAgreement.PrivateKey()
        pending.scopedKeysPrivateKey = mine.rawRepresentation.base64URLEncodedString
        let key = ScopedKey(scope: "https://example.com/keys", key: SecureRandom.bytes(32), kid: "1700000000-AAAAAAAAAAAAAAAAAAAAAA")
        let elsewhere = try KeysJWE.encrypt(
            try JSONEncoder().encode([key.scope: key]), to: P256PublicJWK(P256.KeyAgreement.PrivateKey().publicKey))
        #expect(throws: FxAClientError.self) { try FxAClient.openScopedKeys(elsewhere, pending: pending) }
        var misnamed = key
        misnamed.scope = "https://example.com/other"
        let wrongScope = try KeysJWE.encrypt(try JSONEncoder().encode([key.scope: misnamed]), to: P256PublicJWK(mine.publicKey))
        #expect(throws: FxAClientError.invalidScopedKeys("the key for https://example.com/keys is malformed")) {
            try FxAClient.openScopedKeys(wrongScope, pending: pending)
        }
        let good = try KeysJWE.encrypt(try JSONEncoder().encode([key.scope: key]), to: P256PublicJWK(mine.publicKey))
        #expect(try FxAClient.openScopedKeys(good, pending: pending) == [key.scope: key])
        pending.scopedKeysPrivateKey = nil
        #expect(throws: FxAClientError.invalidScopedKeys("keys_jwe arrived but no key was asked for")) {
            try FxAClient.openScopedKeys(good, pending: pending)
        }
    }
}
