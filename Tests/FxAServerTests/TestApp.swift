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
    try await TestServerSlots.shared.holding {
        try await runTestServer(configure: configure, routes: routes, body)
    }
}

/// How many test servers run at once. Swift Testing starts every test at
/// the same moment, so on two slow cores one test could wait minutes
/// between two of its own requests: past the five-minute life of the ID
/// tokens its server issued under a clock fixed when it started (seen in
/// CI on a machine with a third of its CPU stolen). A bounded number of
/// servers bounds that wait; the suite as a whole takes as long as before,
/// since it is CPU-bound. A test that starts a second server inside the
/// first's body (two instances on one database) reuses its slot through a
/// task-local; one that starts servers in sibling or detached tasks would
/// wait for slots of its own, and eight such tests at once would never
/// start, so nest them instead. Test infrastructure, hence the shared
/// instance STYLE.md avoids in the server.
actor TestServerSlots {
    static let shared = TestServerSlots(limit: 8)
    @TaskLocal static var holdsSlot = false

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        available = limit
    }

    nonisolated func holding<T>(_ body: () async throws -> T) async throws -> T {
        if Self.holdsSlot { return try await body() }
        await acquire()
        do {
            let result = try await Self.$holdsSlot.withValue(true) { try await body() }
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

private func runTestServer(
    configure: (inout ServerConfiguration) throws -> Void,
    routes: (Application) throws -> Void,
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
    // scrypt at 1/64 of its standard cost: in a debug build the standard
    // stretch was three quarters of the suite's CPU. The standard cost is
    // pinned by FxACoreTests' known answer, and exercised by every interop
    // suite against the real binary.
    let dependencies = try Dependencies.open(
        configuration: configuration, logger: logger, clock: clock, passwordStretchCost: VerifierHash.standardCost / 64)
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
