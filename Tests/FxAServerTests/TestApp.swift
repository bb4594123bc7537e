import FxACore
import FxAServer
import FxAStore
import Foundation
import Logging
import Vapor
import VaporTesting

/// A server assembled exactly as `fxa-server serve` assembles it, on a
/// private in-memory SQLite database and a manual clock.
struct TestServer {
    let app: Application
    let dependencies: Dependencies
    let clock: ManualWallClock
}

/// Builds a fresh server for one test, runs `body`, and tears it down.
///
/// `configure` may change the configuration before the server is built;
/// `routes` may add test-only routes (used to drive the error middleware
/// with bodies no production route accepts yet).
func withTestServer(
    configure: (inout ServerConfiguration) throws -> Void = { _ in },
    routes: (Application) throws -> Void = { _ in },
    _ body: (TestServer) async throws -> Void
) async throws {
    var configuration = ServerConfiguration(
        publicURL: try PublicBaseURL("https://accounts.example.test"),
        database: .sqliteInMemory,
        version: VersionInfo(version: "9.9.9", commit: String(repeating: "ab", count: 20)))
    try configure(&configuration)
    var logger = Logger(label: "fxa-test")
    logger.logLevel = .warning
    configuration.logLevel = .warning
    let clock = ManualWallClock(Date())
    let dependencies = try Dependencies.open(configuration: configuration, logger: logger, clock: clock)
    do {
        try await dependencies.prepareStorage(logger: logger)
        let app = try await buildApplication(dependencies: dependencies, environment: .testing, logger: logger)
        do {
            try routes(app)
            try await body(TestServer(app: app, dependencies: dependencies, clock: clock))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    } catch {
        await dependencies.shutdown()
        throw error
    }
    await dependencies.shutdown()
}

/// The decoded FxA error body of a response.
struct ErrorBody: Decodable, Equatable {
    var code: Int
    var errno: Int
    var error: String
    var message: String
    var info: String?
    var retryAfter: Int?
}
