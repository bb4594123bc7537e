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
    app.middleware.use(TimestampHeaderMiddleware(clock: dependencies.clock))
    app.middleware.use(FxAErrorMiddleware())

    try app.register(collection: DockerflowController(
        database: dependencies.stores.database, version: configuration.version))
    try app.register(collection: DiscoveryController(
        publicURL: configuration.publicURL, keyRing: dependencies.keyRing))
    let stores = dependencies.stores
    let authenticator = TokenAuthenticator(
        tokens: stores.tokens, clock: dependencies.clock, nonces: HawkNonceCache(), publicURL: configuration.publicURL)
    let accounts = AccountService(
        stores: stores, hasher: PasswordHasher(threadPool: .singleton),
        issuer: TokenIssuer(tokens: stores.tokens, clock: dependencies.clock),
        mailer: DevelopmentMailbox(store: stores.mailbox), clock: dependencies.clock,
        policy: configuration.accountPolicy)
    try app.register(collection: AccountController(service: accounts, authenticator: authenticator, stores: stores))
    try app.register(collection: SessionController(service: accounts, authenticator: authenticator, stores: stores))
    try app.register(collection: DevMailboxController(store: stores.mailbox))
    if configuration.metricsEnabled {
        try app.register(collection: MetricsController(metrics: dependencies.metrics))
    }
    return app
}
