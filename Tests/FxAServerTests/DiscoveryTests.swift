import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import VaporTesting

@Suite("Discovery and JWKS")
struct DiscoveryTests {
    struct Discovery: Decodable {
        var issuer: String
        var jwks_uri: String
        var id_token_signing_alg_values_supported: [String]
        var subject_types_supported: [String]
        var response_types_supported: [String]
        var authorization_endpoint: String
        var token_endpoint: String
        var introspection_endpoint: String
        var revocation_endpoint: String
        var code_challenge_methods_supported: [String]
        var grant_types_supported: [String]
        var token_endpoint_auth_methods_supported: [String]
        var request_uri_parameter_supported: Bool
    }

    @Test func everyURLInDiscoveryIsBuiltFromThePublicBaseURL() async throws {
        try await withTestServer(configure: { $0.publicURL = try PublicBaseURL("https://id.example.org/fxa/") }) { server in
            try await server.app.testing().test(.GET, ".well-known/openid-configuration") { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .cacheControl) == "public, max-age=3600")
                let doc = try res.content.decode(Discovery.self)
                #expect(doc.issuer == "https://id.example.org/fxa")
                #expect(doc.jwks_uri == "https://id.example.org/fxa/v1/jwks")
                #expect(doc.id_token_signing_alg_values_supported == ["RS256"])
                #expect(doc.subject_types_supported == ["public"])
                #expect(doc.authorization_endpoint == "https://id.example.org/fxa/authorization")
                #expect(doc.token_endpoint == "https://id.example.org/fxa/v1/token")
                #expect(doc.code_challenge_methods_supported == ["S256"], "plain is never accepted")
                #expect(doc.request_uri_parameter_supported == false)
            }
        }
    }

    @Test("every endpoint discovery advertises is served, and RFC 8414 metadata is the same document")
    func advertisedEndpointsExist() async throws {
        try await withTestServer { server in
            let oidc = try await server.call(.GET, "/.well-known/openid-configuration")
            let oauth = try await server.call(.GET, "/.well-known/oauth-authorization-server")
            func canonical(_ json: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: json, options: .sortedKeys) }
            #expect(try canonical(oauth.json) == canonical(oidc.json))
            let doc = try JSONDecoder().decode(Discovery.self, from: Data(oidc.raw.utf8))
            let base = "https://accounts.example.test"
            for (url, method) in [
                (doc.authorization_endpoint, HTTPMethod.GET), (doc.token_endpoint, .POST), (doc.jwks_uri, .GET),
                (doc.introspection_endpoint, .POST), (doc.revocation_endpoint, .POST),
            ] {
                #expect(url.hasPrefix(base))
                let response = try await server.call(method, String(url.dropFirst(base.count)), json: method == .POST ? [:] : nil)
                #expect(response.status != .notFound && response.status != .methodNotAllowed, "\(url): \(response.status)")
            }
            #expect(Set(doc.grant_types_supported) == ["authorization_code", "refresh_token", "fxa-credentials"])
            #expect(Set(doc.token_endpoint_auth_methods_supported) == ["client_secret_basic", "client_secret_post", "none"])
        }
    }

    @Test func jwksPublishesTheKeyCreatedOnFirstStart() async throws {
        try await withTestServer { server in
            let stored = try await server.dependencies.stores.signingKeys.publishedKeys()
            #expect(stored.count == 1)
            try await server.app.testing().test(.GET, "v1/jwks") { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .cacheControl) == "public, max-age=300")
                let jwks = try res.content.decode(JWKSet.self)
                #expect(jwks.keys.map(\.kid) == stored.map(\.kid))
                #expect(jwks.keys.first?.kty == "RSA")
                #expect(jwks.keys.first?.alg == "RS256")
                // Only public members: no private exponent or primes leak.
                #expect(!res.body.string.contains(#""d""#))
                #expect(!res.body.string.contains(#""p""#))
            }
        }
    }

    @Test func afterARotationJWKSServesTheNewKeyFirstAndKeepsTheOldOne() async throws {
        try await withTestServer { server in
            let old = try await server.dependencies.keyRing.current()
            let new = try RSASigningKey.generate()
            try await server.dependencies.stores.signingKeys.rotate(to: StoredSigningKey(
                kid: new.kid, pem: new.pemRepresentation, status: .current, createdAt: server.clock.now()))

            // Another process rotated: this one notices once its cache expires.
            server.clock.advance(by: 61)
            try await server.app.testing().test(.GET, "v1/jwks") { res async throws in
                let jwks = try res.content.decode(JWKSet.self)
                #expect(jwks.keys.map(\.kid) == [new.kid, old.kid])
            }
            #expect(try await server.dependencies.keyRing.current().kid == new.kid)
        }
    }

    @Test func aRestartOnTheSameDatabaseKeepsTheSigningKey() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-restart-\(SecureRandom.bytes(6).hexString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fxa.sqlite").path
        var kids: [String] = []
        for _ in 0..<2 {
            try await withTestServer(configure: { $0.database = .sqliteFile(path: path) }) { server in
                try await server.app.testing().test(.GET, "v1/jwks") { res async throws in
                    kids.append(contentsOf: try res.content.decode(JWKSet.self).keys.map(\.kid))
                }
            }
        }
        #expect(kids.count == 2)
        #expect(kids[0] == kids[1])
    }

    @Test func keysFromOperatorFilesArePublishedCurrentFirst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-keys-\(SecureRandom.bytes(6).hexString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = try RSASigningKey.generate()
        let previous = try RSASigningKey.generate()
        let currentPath = folder.appendingPathComponent("current.pem").path
        let previousPath = folder.appendingPathComponent("previous.pem").path
        try current.pemRepresentation.write(toFile: currentPath, atomically: true, encoding: .utf8)
        try previous.pemRepresentation.write(toFile: previousPath, atomically: true, encoding: .utf8)

        try await withTestServer(configure: { $0.signingKeys = .files(current: currentPath, previous: previousPath) }) { server in
            try await server.app.testing().test(.GET, "v1/jwks") { res async throws in
                #expect(try res.content.decode(JWKSet.self).keys.map(\.kid) == [current.kid, previous.kid])
            }
            // File keys are not copied into the database.
            #expect(try await server.dependencies.stores.signingKeys.publishedKeys().isEmpty)
        }
    }

    @Test func aMissingOrInvalidKeyFileStopsStartup() throws {
        let store = NoSigningKeys()
        #expect {
            try SigningKeyRing.configured(.files(current: "/nonexistent/key.pem", previous: nil), store: store, clock: SystemWallClock())
        } throws: { error in
            (error as? StartupError)?.setting == .signingKeyFile
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-bad-\(SecureRandom.bytes(6).hexString).pem").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "not a key".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try SigningKeyRing.configured(.files(current: path, previous: nil), store: store, clock: SystemWallClock())
        } throws: { error in
            (error as? StartupError)?.reason.contains("not an RSA private key") == true
        }
    }
}

/// A store for tests that must never reach one.
struct NoSigningKeys: SigningKeyStore {
    func publishedKeys() async throws -> [StoredSigningKey] { [] }
    func insertCurrentIfAbsent(_ candidate: StoredSigningKey) async throws -> StoredSigningKey { candidate }
    func rotate(to newKey: StoredSigningKey) async throws {}
}
