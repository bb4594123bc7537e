import Crypto
import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// `POST /v1/account/scoped-key-data`, and the whole scoped-key journey
/// through the API: derive from kB, encrypt to `keys_jwk`, pass `keys_jwe`
/// through `/v1/oauth/authorization`, receive it from `/v1/token`.
@Suite("Scoped keys: key data and keys_jwe")
struct ScopedKeyDataTests {
    static let sync = ScopedKeyDerivation.oldsync
    static let notes = "https://rp.example/apps/notes"

    private func withKeyServer(_ body: (TestServer) async throws -> Void) async throws {
        try await withTestServer(configure: { configuration in
            configuration.keyBearingScopes = try KeyBearingScopes(configuration: "\(Self.sync), \(Self.notes)")
        }, body)
    }

    private func keyData(_ server: TestServer, _ client: TestClient, session: String, scope: String) async throws -> APIResponse {
        try await server.call(
            .POST, "/v1/account/scoped-key-data", json: ["client_id": client.id, "scope": scope], auth: Auth.session(session))
    }

    @Test func keyDataNamesOnlyTheKeyBearingScopesWithWhenKBLastChanged() async throws {
        try await withKeyServer { server in
            let client = try await server.registerClient(scopes: ["profile", "openid", Self.sync, Self.notes])
            let user = TestUser()
            let account = try await server.signUp(user)
            let stored = try #require(try await server.dependencies.stores.accounts.account(uid: AccountUID(hex: account.uid)!))
            let data = try await keyData(server, client, session: account.sessionToken, scope: "profile \(Self.sync) \(Self.notes)")
            #expect(data.status == .ok, "\(data.raw)")
            #expect(Set(data.json.keys) == [Self.sync, Self.notes], "profile carries no key")
            let entry = try #require(data.json[Self.sync] as? [String: Any])
            #expect(entry["identifier"] as? String == Self.sync)
            #expect(entry["keyRotationSecret"] as? String == String(repeating: "0", count: 64))
            #expect(entry["keyRotationTimestamp"] as? Int == Int(stored.createdAt.timeIntervalSince1970 * 1000))
            #expect(try await keyData(server, client, session: account.sessionToken, scope: "profile openid").raw == "{}")
        }
    }

    @Test func keyDataRefusesWhatFxARefuses() async throws {
        try await withKeyServer { server in
            let client = try await server.registerClient(scopes: ["profile", Self.sync])
            let untrusted = try await server.registerClient(trusted: false, scopes: ["profile", Self.sync], unchecked: true)
            let account = try await server.signUp(TestUser())
            let session = account.sessionToken

            expectError(try await keyData(server, client, session: session, scope: Self.notes), .badRequest, errno: 163)
            let refused = try await keyData(server, untrusted, session: session, scope: Self.sync)
            expectError(refused, .badRequest, errno: 163)
            #expect(refused.json["invalidScopes"] as? [String] == [Self.sync])
            let unknown = TestClient(id: OAuthClientID.random().hex, secret: nil, redirectURI: client.redirectURI)
            expectError(try await keyData(server, unknown, session: session, scope: Self.sync), .badRequest, errno: 162)

            for body: [String: Any] in [
                ["client_id": "not-hex", "scope": Self.sync], ["client_id": client.id, "scope": ""],
                ["client_id": client.id, "scope": "https://bad scope\u{7}"],
                ["client_id": client.id, "scope": Self.sync + " " + String(repeating: "a", count: 256)],
            ] {
                expectError(try await server.call(.POST, "/v1/account/scoped-key-data", json: body, auth: Auth.session(session)),
                            .badRequest, errno: 107)
            }
            expectError(try await server.call(.POST, "/v1/account/scoped-key-data", json: ["client_id": client.id], auth: Auth.session(session)),
                        .badRequest, errno: 108)
            expectError(try await server.call(.POST, "/v1/account/scoped-key-data", json: ["client_id": client.id, "scope": Self.sync]),
                        .unauthorized, errno: 110)

            let unverified = try await server.signUp(TestUser(), verify: false)
            expectError(try await keyData(server, client, session: unverified.sessionToken, scope: Self.sync), .badRequest, errno: 104)
        }
    }

    @Test func aBroaderAllowedScopeGrantsTheScopeButNotItsKey() async throws {
        try await withKeyServer { server in
            let client = try await server.registerClient(scopes: ["profile", "https://rp.example/apps"])
            let account = try await server.signUp(TestUser())
            let data = try await keyData(server, client, session: account.sessionToken, scope: Self.notes)
            #expect(data.status == .ok && data.raw == "{}", "\(data.raw)")
        }
    }

    @Test func anUnconfirmedSignInGetsNoKeyData() async throws {
        try await withTestServer(configure: { $0.accountPolicy.confirmSignins = true }) { server in
            let client = try await server.registerClient(scopes: [Self.sync])
            let user = TestUser()
            // (A v2 sign-up verifies without a confirmed sign-in to read kB back.)
            _ = try await server.signUp(user, v2: true)
            let login = try await server.login(user).response
            let session = try #require(login.string("sessionToken"))
            expectError(try await keyData(server, client, session: session, scope: Self.sync), .badRequest, errno: 138)
        }
    }

    @Test func keysTravelEncryptedFromTheBrowserToTheRPAndChangeOnlyWithKB() async throws {
        try await withKeyServer { server in
            let client = try await server.registerClient(scopes: ["profile", "openid", Self.sync, Self.notes])
            let user = TestUser()
            let account = try await server.signUp(user)

            let createdAt = try #require(try await server.dependencies.stores.accounts.account(uid: AccountUID(hex: account.uid)!)).createdAt
            let first = try await signInForKeys(server, client, user: user, kB: account.kB, uid: account.uid)
            #expect(first[Self.sync]?.keyBytes?.count == 64 && first[Self.notes]?.keyBytes?.count == 32)
            #expect(first[Self.sync]?.kid.hasPrefix("\(Int64(createdAt.timeIntervalSince1970 * 1000))-") == true)

            // A password change keeps kB: same keys, same kids.
            let changed = TestUser(user.email, password: "a changed password")
            let finish = try await PasswordFlowTests.change(server, user, to: changed, session: account.sessionToken, kB: account.kB, salt: nil)
            try #require(finish.status == .ok, "\(finish.raw)")
            server.clock.advance(by: 5)
            #expect(try await signInForKeys(server, client, user: changed, kB: account.kB, uid: account.uid) == first)

            // A reset is a new kB: new keys, and kids that say so.
            server.clock.advance(by: 5)
            let resetAt = server.clock.now()
            let reset = TestUser(user.email, password: "after a reset")
            try await server.resetPassword(changed, to: reset)
            let newKB = try #require(try await server.login(reset, keys: true).kB)
            #expect(newKB != account.kB)
            let after = try await signInForKeys(server, client, user: reset, kB: newKB, uid: account.uid)
            for scope in [Self.sync, Self.notes] {
                #expect(after[scope]?.k != first[scope]?.k, "\(scope)")
                #expect(after[scope]?.kid != first[scope]?.kid, "\(scope)")
            }
            // The kid says when: the reset, in ms for Sync and seconds otherwise.
            #expect(after[Self.sync]?.kid.hasPrefix("\(Int64(resetAt.timeIntervalSince1970 * 1000))-") == true)
            #expect(after[Self.notes]?.kid.hasPrefix("\(Int64((resetAt.timeIntervalSince1970 * 1000 + 500) / 1000))-") == true)
        }
    }

    /// What a browser does for an RP that sent `keys_jwk`, checked at the
    /// RP's end: the keys it decrypts are the ones kB derives.
    private func signInForKeys(
        _ server: TestServer, _ client: TestClient, user: TestUser, kB: Data, uid: String
    ) async throws -> [String: ScopedKey] {
        let login = try await server.login(user).response
        let session = try #require(login.string("sessionToken"), "\(login.raw)")
        let scope = "profile \(Self.sync) \(Self.notes)"
        let data = try await keyData(server, client, session: session, scope: scope)
        var keys: [String: ScopedKey] = [:]
        for (name, value) in data.json {
            let entry = try #require(value as? [String: Any])
            keys[name] = ScopedKeyDerivation.derive(
                kB: kB, uid: try #require(Data(hex: uid)), identifier: try #require(entry["identifier"] as? String),
                keyRotationSecret: try #require((entry["keyRotationSecret"] as? String).flatMap { Data(hex: $0) }),
                keyRotationTimestamp: Int64(try #require(entry["keyRotationTimestamp"] as? Int)))
        }
        let rpKey = P256.KeyAgreement.PrivateKey()
        let jwe = try KeysJWE.encrypt(JSONEncoder().encode(keys), to: P256PublicJWK(rpKey.publicKey))
        let code = try await server.code(client, session: session, ["scope": scope, "keys_jwe": jwe])
        let tokens = try await server.token([
            "grant_type": "authorization_code", "code": code, "client_id": client.id, "client_secret": try #require(client.secret),
        ])
        let received = try #require(tokens.string("keys_jwe"), "\(tokens.raw)")
        #expect(received == jwe, "passed through untouched")
        return try JSONDecoder().decode([String: ScopedKey].self, from: KeysJWE.decrypt(received, with: rpKey))
    }

    @Test func firefoxFindsEveryServerInTheClientConfiguration() async throws {
        try await withTestServer { server in
            let document = try await server.call(.GET, "/.well-known/fxa-client-configuration")
            #expect(document.status == .ok)
            #expect(document.string("auth_server_base_url") == "https://accounts.example.test")
            #expect(document.string("oauth_server_base_url") == "https://accounts.example.test")
            #expect(document.string("profile_server_base_url") == "https://accounts.example.test")
            #expect(document.string("pairing_server_base_uri")?.hasPrefix("wss://") == true)
            #expect(document.json["sync_tokenserver_base_url"] == nil, "no Sync unless the operator runs one")
        }
        try await withTestServer(configure: { $0.syncTokenserverURL = "https://sync.example.test/token" }) { server in
            let document = try await server.call(.GET, "/.well-known/fxa-client-configuration")
            #expect(document.string("sync_tokenserver_base_url") == "https://sync.example.test/token")
        }
    }
}
