import FxACore
import FxAStore
import Foundation
import Logging
import Testing
import Vapor

/// The profile API reuses verified tokens (`FXA_PROFILE_CACHE_SECONDS`):
/// what this process changes is seen at once, what another process
/// changes within the configured lifetime.
@Suite("Profile API: the read cache")
struct ProfileCacheTests {
    @Test func tokensRevokedHereStopWorkingAtOnce() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile")
            #expect(try await server.profileCall(.GET, "/v1/profile", token: user.accessToken).status == .ok)
            _ = try await server.call(.POST, "/v1/destroy", json: ["access_token": user.accessToken])
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: user.accessToken), .unauthorized, errno: 100)

            // Revoking the app in "Devices & apps".
            let second = try await server.accessToken(user.client, session: user.session, scope: "profile")
            #expect(try await server.profileCall(.GET, "/v1/profile", token: second).status == .ok)
            let revoked = try await server.call(
                .POST, "/v1/authorized-clients/destroy", json: ["client_id": user.client.id], auth: .bearer(.sessionToken, token: user.session))
            #expect(revoked.status == .ok, "\(revoked.raw)")
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: second), .unauthorized, errno: 100)

            // Deleting the account.
            let third = try await server.profileToken(scope: "profile")
            #expect(try await server.profileCall(.GET, "/v1/uid", token: third.accessToken).status == .ok)
            let uid = try #require(AccountUID(hex: third.uid))
            try await server.dependencies.stores.accounts.delete(
                uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: server.clock.now()))
            expectProfileError(try await server.profileCall(.GET, "/v1/uid", token: third.accessToken), .unauthorized, errno: 100)
        }
    }

    @Test func anotherProcesssChangesAreSeenWithinTheCacheLifetime() async throws {
        try await withSharedDatabase(cacheSeconds: 2) { server, otherProcess in
            let user = try await server.profileToken(scope: "profile")
            let first = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(first.json["displayName"] is NSNull)
            let uid = try #require(AccountUID(hex: user.uid))
            try await otherProcess.profiles.setDisplayName(
                "Set elsewhere", uid: uid, at: server.clock.now(), recording: OutboxEvent(uid: uid, kind: .profileChange, occurredAt: server.clock.now()))

            let soon = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(soon.json["displayName"] is NSNull, "within the lifetime the cached profile is served")
            server.clock.advance(by: 2)
            let later = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(later.string("displayName") == "Set elsewhere")

            try await otherProcess.accounts.delete(
                uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: server.clock.now()))
            server.clock.advance(by: 2)
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: user.accessToken), .unauthorized, errno: 100)
        }
    }

    @Test func withTheCacheOffEveryReadGoesToTheDatabase() async throws {
        try await withSharedDatabase(cacheSeconds: 0) { server, otherProcess in
            let user = try await server.profileToken(scope: "profile")
            _ = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            let uid = try #require(AccountUID(hex: user.uid))
            try await otherProcess.profiles.setDisplayName(
                "At once", uid: uid, at: server.clock.now(), recording: OutboxEvent(uid: uid, kind: .profileChange, occurredAt: server.clock.now()))
            let read = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(read.string("displayName") == "At once")
        }
    }

    /// A server on a SQLite file and a second set of stores on the same
    /// file, standing in for another instance or the CLI.
    private func withSharedDatabase(cacheSeconds: Int, _ body: (TestServer, Stores) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-cache-\(SecureRandom.bytes(6).hexString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("fxa.sqlite").path
        try await withTestServer(configure: {
            $0.database = .sqliteFile(path: path)
            $0.profileCacheSeconds = cacheSeconds
        }) { server in
            var logger = Logger(label: "other-process")
            logger.logLevel = .warning
            let other = try StoreDatabase(location: .sqliteFile(path: path), logger: logger)
            do {
                try await body(server, Stores(database: other))
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
        }
    }
}
