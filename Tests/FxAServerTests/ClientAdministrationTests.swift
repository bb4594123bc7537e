import Crypto
import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing

/// Registering and managing OAuth clients as the operator does.
@Suite("OAuth client administration")
struct ClientAdministrationTests {
    static func registration(
        _ uris: [String] = ["https://rp.example/cb"], publicClient: Bool = false, scopes: [String] = ["profile:email"],
        webhook: String? = nil, image: String? = nil, name: String = "RP"
    ) -> ClientAdministration.Registration {
        .init(name: name, redirectURIs: uris, allowedScopes: scopes, publicClient: publicClient, trusted: false,
              imageURI: image, webhookURL: webhook, jwtAccessTokens: false)
    }

    @Test func aConfidentialClientGetsASecretStoredOnlyAsItsHash() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            let (client, secret) = try await admin.create(Self.registration())
            let shown = try #require(secret)
            #expect(client.id.hex.count == 16)
            #expect(shown.hex.count == 64)
            let stored = try #require(try await server.dependencies.stores.oauthClients.client(id: client.id))
            #expect(stored.secretHash?.bytes == Data(SHA256.hash(data: shown.bytes)))
            #expect(stored.secretHash?.bytes != shown.bytes)

            let rotated = try await admin.rotateSecret(client.id)
            let after = try await admin.show(client.id)
            #expect(after.secretHash?.bytes == Data(SHA256.hash(data: rotated.bytes)))
            #expect(after.previousSecretHash == stored.secretHash)
            try await admin.forgetPreviousSecret(client.id)
            #expect(try await admin.show(client.id).previousSecretHash == nil)
        }
    }

    @Test func aPublicClientHasNoSecretAndCannotRotateOne() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            let (client, secret) = try await admin.create(Self.registration(["com.example.app:/cb"], publicClient: true))
            #expect(secret == nil)
            #expect(client.secretHash == nil)
            await #expect(throws: FxAError.self) { _ = try await admin.rotateSecret(client.id) }
        }
    }

    @Test(arguments: [
        Self.registration([]),
        Self.registration(["http://rp.example/cb"]),
        Self.registration(["https://rp.example/cb#frag"]),
        Self.registration(["/relative/cb"]),
        Self.registration(["com.example.app:/cb"]),
        Self.registration(["myapp:/cb"], publicClient: true),
        Self.registration(scopes: ["profile email"]),
        Self.registration(scopes: [""]),
        Self.registration(webhook: "http://rp.example/events"),
        Self.registration(image: "javascript:alert(1)"),
        Self.registration(name: "  "),
    ])
    func unsafeRegistrationsAreRefused(registration: ClientAdministration.Registration) async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            await #expect(throws: FxAError.self) { _ = try await admin.create(registration) }
            let clients = try await admin.list().filter { !FirstPartyClients.contains($0.id) }
            #expect(clients.isEmpty, "only Firefox's built-in clients")
        }
    }

    /// The first-hour trap: a registration that lists scopes its client can
    /// never be granted only failed later, at sign-in.
    @Test func scopesThatCanNeverBeGrantedAreRefusedAtRegistrationWithWhatToDo() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            func refusal(_ scopes: [String], trusted: Bool = false) async -> String? {
                var registration = Self.registration(scopes: scopes)
                registration.trusted = trusted
                do {
                    _ = try await admin.create(registration)
                    return nil
                } catch let error as FxAError {
                    #expect(error.errno == .auth(.invalidParameter))
                    return error.message
                } catch {
                    return "\(error)"
                }
            }
            let untrusted = try #require(await refusal(["profile", "openid"]))
            #expect(untrusted.contains("never granted profile") && untrusted.contains("--trusted")
                    && untrusted.contains("openid profile:uid profile:email profile:display_name"), "\(untrusted)")
            let unknown = try #require(await refusal(["bogus", "profile:email"], trusted: true))
            #expect(unknown.contains("unknown scope bogus") && unknown.contains("profile:display_name"), "\(unknown)")
            #expect(await refusal(["https://identity.mozilla.com/apps/oldsync"]) != nil, "a URL scope needs trust")
            #expect(await refusal(["profile", "openid", "https://identity.mozilla.com/apps/oldsync"], trusted: true) == nil)
            #expect(await refusal(ClientScopeRules.defaults(trusted: false)) == nil, "the defaults work")
            #expect(ClientScopeRules.defaults(trusted: true) == ["profile", "openid"])

            // An update is held to the same rule.
            let (client, _) = try await admin.create(Self.registration(scopes: ["openid"]))
            await #expect(throws: FxAError.self) { _ = try await admin.update(client.id) { $0.allowedScopes = ["profile"] } }
        }
    }

    @Test func loopbackHTTPAndUpdatesAreValidatedToo() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            let (client, _) = try await admin.create(Self.registration(["http://127.0.0.1:8000/cb", "http://localhost:8000/cb"]))
            let updated = try await admin.update(client.id) { $0.redirectURIs.append("https://rp.example/other") }
            #expect(updated.redirectURIs.count == 3)
            await #expect(throws: FxAError.self) {
                _ = try await admin.update(client.id) { $0.redirectURIs = ["http://evil.example/cb"] }
            }
            #expect(try await admin.show(client.id).redirectURIs.count == 3)
            try await admin.delete(client.id)
            await #expect(throws: FxAError.self) { try await admin.delete(client.id) }
        }
    }
}
