import AsyncHTTPClient
import Crypto
import FxAClient
import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// FxAClient asks `fxa-server` for scoped keys over real HTTP on loopback
/// and decrypts what comes back. The browser's part (kB from the password,
/// the derivation, the JWE to `keys_jwk`) is played by the same API calls
/// the sign-in page makes, with FxACore's implementation of its crypto.
@Suite("End to end: FxAClient receives scoped keys", .serialized)
struct ScopedKeysEndToEndTests {
    @Test func fxaClientDecryptsTheSyncKeyDerivedFromTheUsersKB() async throws {
        let port = try await LoopbackBrowser.freePort()
        let serverURL = URL(string: "http://127.0.0.1:\(port)")!
        try await withTestServer(configure: { $0.publicURL = try PublicBaseURL(serverURL.absoluteString) }) { server in
            try await server.app.server.start(address: .hostname("127.0.0.1", port: port))
            let sync = ScopedKeyDerivation.oldsync
            let registered = try await server.registerClient(scopes: ["profile", "openid", sync])
            let httpClient = AsyncHTTPClientTransport.makeHTTPClient(readTimeout: .seconds(60))
            do {
                let client = FxAClient(
                    configuration: FxAClientConfiguration(
                        provider: FxAProvider(issuer: serverURL),
                        credentials: try FxAClientCredentials(clientID: registered.id, secret: try ClientSecret(registered.secret!)),
                        redirectURI: URL(string: registered.redirectURI)!,
                        scope: try #require(OAuthScopeSet(parsing: "profile openid \(sync)"))),
                    transport: AsyncHTTPClientTransport(client: httpClient))
                var request = client.authorizationRequest(entrypoint: "sync-e2e")
                request.scopedKeys = true
                let (url, pending) = try await client.prepare(request)
                let query = Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?
                    .queryItems ?? []).map { ($0.name, $0.value ?? "") })
                let keysJWK = try #require(query["keys_jwk"].flatMap(P256PublicJWK.init(keysJWKParameter:)))

                // The page: sign in, derive from kB, encrypt to keys_jwk.
                let user = TestUser()
                let account = try await server.signUp(user)
                let session = try #require(try await server.login(user).response.string("sessionToken"))
                let data = try await server.call(
                    .POST, "/v1/account/scoped-key-data", json: ["client_id": registered.id, "scope": query["scope"]!],
                    auth: Auth.session(session))
                let entry = try #require(data.json[sync] as? [String: Any], "\(data.raw)")
                let expected = ScopedKeyDerivation.derive(
                    kB: account.kB, uid: try #require(Data(hex: account.uid)), identifier: sync,
                    keyRotationSecret: Data(count: 32), keyRotationTimestamp: Int64(try #require(entry["keyRotationTimestamp"] as? Int)))
                let jwe = try KeysJWE.encrypt(JSONEncoder().encode([sync: expected]), to: keysJWK)
                var body: [String: Any] = ["keys_jwe": jwe]
                for name in ["client_id", "state", "nonce", "scope", "code_challenge", "code_challenge_method", "redirect_uri"] {
                    body[name] = query[name]
                }
                let authorized = try await server.call(.POST, "/v1/oauth/authorization", json: body, auth: Auth.session(session))
                let redirect = try #require(authorized.string("redirect").flatMap(URLComponents.init(string:)), "\(authorized.raw)")
                let returned = Dictionary(uniqueKeysWithValues: (redirect.queryItems ?? []).map { ($0.name, $0.value ?? "") })

                // The RP: exchange the code over HTTP, open keys_jwe.
                let signIn = try await client.completeAuthorization(
                    AuthorizationCallback(code: try #require(returned["code"]), state: try #require(returned["state"])), pending: pending)
                #expect(signIn.profile.uid == account.uid)
                #expect(signIn.scopedKeys == [sync: expected])
                #expect(signIn.scopedKeys[sync]?.kid.hasSuffix(
                    Data(SHA256.hash(data: account.kB)).prefix(16).base64URLEncodedString) == true)
            } catch {
                try? await httpClient.shutdown()
                await server.app.server.shutdown()
                throw error
            }
            try await httpClient.shutdown()
            await server.app.server.shutdown()
        }
    }
}
