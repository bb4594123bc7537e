import FxACore
import FxAStore
import Vapor

/// Mozilla's Dockerflow endpoints, which load balancers and orchestrators
/// probe: is the process alive, can it reach its database, what build is it.
struct DockerflowController: RouteCollection {
    let database: StoreDatabase
    let version: VersionInfo

    func boot(routes: any RoutesBuilder) throws {
        routes.get("__lbheartbeat__", use: lbHeartbeat)
        routes.get("__heartbeat__", use: heartbeat)
        routes.get("__version__", use: versionInfo)
    }

    /// Alive: answers without touching anything else, so a slow database
    /// never makes a load balancer drop a healthy process.
    @Sendable func lbHeartbeat(_ request: Request) async throws -> EmptyJSON {
        EmptyJSON()
    }

    /// Ready: 200 when the database answers, otherwise 503 with errno 203.
    @Sendable func heartbeat(_ request: Request) async throws -> HeartbeatStatus {
        do {
            try await database.ping()
        } catch {
            request.logger.error("heartbeat: database unreachable", metadata: ["cause": .string(String(reflecting: error))])
            var failure = FxAError.backendServiceFailure()
            failure.extra["database"] = .string("error")
            throw failure
        }
        return HeartbeatStatus(database: "ok")
    }

    @Sendable func versionInfo(_ request: Request) async throws -> VersionInfo {
        version
    }
}

/// `/__heartbeat__`'s body: the state of each dependency.
struct HeartbeatStatus: Content {
    var database: String
}

/// `{}`: FxA answers empty successes with an empty JSON object, never 204,
/// because its clients treat a non-JSON answer as a protocol error.
public struct EmptyJSON: Content {
    public init() {}
}

extension VersionInfo: Content {}
