import FxAServer
import Testing
import VaporTesting

@Suite("Dockerflow endpoints")
struct DockerflowTests {
    @Test func lbHeartbeatAnswersEmptyJSON() async throws {
        try await withTestServer { server in
            try await server.app.testing().test(.GET, "__lbheartbeat__") { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .json)
                #expect(res.body.string == "{}")
            }
        }
    }

    @Test func heartbeatIsOKWhileTheDatabaseAnswers() async throws {
        try await withTestServer { server in
            try await server.app.testing().test(.GET, "__heartbeat__") { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#""database":"ok""#))
            }
        }
    }

    @Test func heartbeatIs503WithErrno203WhenTheDatabaseIsGone() async throws {
        try await withTestServer { server in
            await server.dependencies.stores.database.shutdown()
            try await server.app.testing().test(.GET, "__heartbeat__") { res async throws in
                #expect(res.status == .serviceUnavailable)
                let body = try res.content.decode(ErrorBody.self)
                #expect(body.code == 503)
                #expect(body.errno == 203)
                #expect(res.body.string.contains(#""database":"error""#))
            }
            // The liveness probe does not depend on the database.
            try await server.app.testing().test(.GET, "__lbheartbeat__") { res async throws in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func versionReportsTheConfiguredBuild() async throws {
        try await withTestServer { server in
            try await server.app.testing().test(.GET, "__version__") { res async throws in
                #expect(res.status == .ok)
                let version = try res.content.decode(VersionInfo.self)
                #expect(version.version == "9.9.9")
                #expect(version.commit == String(repeating: "ab", count: 20))
            }
        }
    }
}
