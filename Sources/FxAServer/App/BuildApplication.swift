import FxACore
import Vapor

/// Assembles the HTTP application from its dependencies: middleware in a
/// fixed order, then each area's routes. The one place where the server is
/// put together, used by `fxa-server serve` and by every test.
///
/// Middleware order, outermost first: observation (sees the final status of
/// every response, errors included), security headers (added to error
/// responses too), FxA errors (turns anything thrown into FxA's JSON body).
public func buildApplication(
    dependencies: Dependencies, environment: Environment = .production, logger: Logger? = nil
) async throws -> Application {
    let app = try await Application.make(environment, logger: logger ?? Logger(label: "fxa-server"))
    let configuration = dependencies.configuration
    app.logger.logLevel = configuration.logLevel
    app.http.server.configuration.hostname = configuration.host
    app.http.server.configuration.port = configuration.port
    app.http.server.configuration.reportMetrics = false
    app.http.server.configuration.serverName = nil
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: configuration.maxBodySize)
    app.routes.caseInsensitive = false

    app.middleware = Middlewares()
    app.middleware.use(RequestObservationMiddleware(metrics: dependencies.metrics))
    app.middleware.use(SecurityHeadersMiddleware(strictTransportSecurity: configuration.publicURL.isHTTPS))
    app.middleware.use(FxAErrorMiddleware())

    try app.register(collection: DockerflowController(
        database: dependencies.stores.database, version: configuration.version))
    try app.register(collection: DiscoveryController(
        publicURL: configuration.publicURL, keyRing: dependencies.keyRing))
    if configuration.metricsEnabled {
        try app.register(collection: MetricsController(metrics: dependencies.metrics))
    }
    return app
}
