import FxACore
import Leaf
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
    // Pages render from the templates in the binary, never from a directory.
    app.leaf.sources = .singleSource(EmbeddedTemplateSource())

    app.middleware = Middlewares()
    app.middleware.use(ClientAddressMiddleware(proxies: configuration.trustedProxies))
    app.middleware.use(RequestObservationMiddleware(metrics: dependencies.metrics))
    app.middleware.use(SecurityHeadersMiddleware(strictTransportSecurity: configuration.publicURL.isHTTPS))
    app.middleware.use(TimestampHeaderMiddleware(clock: dependencies.clock))
    app.middleware.use(CORSAllowlistMiddleware(
        allowedOrigins: configuration.corsOrigins, allowsLoopbackOrigins: configuration.corsAllowsLoopbackOrigins))
    app.middleware.use(FxAErrorMiddleware())

    try app.register(collection: DockerflowController(
        database: dependencies.stores.database, version: configuration.version))
    try app.register(collection: DiscoveryController(
        publicURL: configuration.publicURL, keyRing: dependencies.keyRing,
        syncTokenserverURL: configuration.announcedSyncTokenserverURL))
    let stores = dependencies.stores
    let sessionRule = VerifiedSessionRule(totp: stores.totp)
    // One RS256 signer, so ID tokens and Security Event Tokens share the
    // converted key and the signing pool.
    let rs256 = RS256Signer(keyRing: dependencies.keyRing, threadPool: dependencies.signingPool)
    let authenticator = TokenAuthenticator(
        tokens: stores.tokens, accounts: stores.accounts, clock: dependencies.clock, nonces: HawkNonceCache(),
        publicURL: configuration.publicURL, sessionRule: sessionRule)
    let credentials = CredentialVerifier(hasher: PasswordHasher(
        threadPool: dependencies.hashingPool, cost: dependencies.passwordStretchCost))
    let issuer = TokenIssuer(tokens: stores.tokens, clock: dependencies.clock)
    let mailer: any Mailer = if let smtp = configuration.smtp {
        SMTPMailer(settings: smtp, group: app.eventLoopGroup, logger: app.logger)
    } else {
        DevelopmentMailbox(store: stores.mailbox)
    }
    let codes = EmailedCodes(
        codes: stores.codes, clock: dependencies.clock, maxAttempts: configuration.accountPolicy.maxCodeAttempts)
    let accounts = AccountService(
        accounts: stores.accounts, tokens: stores.tokens, secondaryEmails: stores.secondaryEmails, profiles: stores.profiles,
        totp: stores.totp, codes: codes, credentials: credentials, issuer: issuer, mailer: mailer, clock: dependencies.clock,
        policy: configuration.accountPolicy)
    let recoveryKeys = RecoveryKeyService(keys: stores.recoveryKeys, mailer: mailer, clock: dependencies.clock)
    let passwords = PasswordService(
        accounts: stores.accounts, tokens: stores.tokens, recoveryKeys: recoveryKeys, totp: stores.totp, codes: codes, credentials: credentials, issuer: issuer, mailer: mailer, clock: dependencies.clock,
        policy: configuration.accountPolicy)
    let customs = Customs(policy: configuration.customs, clock: dependencies.clock)
    try app.register(collection: AccountController(service: accounts, authenticator: authenticator, customs: customs))
    try app.register(collection: SessionController(service: accounts, authenticator: authenticator, customs: customs))
    try app.register(collection: PasswordController(service: passwords, authenticator: authenticator, customs: customs))
    let mfaTokens = MFATokens(keyRing: dependencies.keyRing, issuer: configuration.publicURL, clock: dependencies.clock)
    let twoStep = TwoStepService(
        totp: stores.totp, recoveryCodes: stores.recoveryCodes, tokens: stores.tokens, codes: codes, mfaTokens: mfaTokens, mailer: mailer, clock: dependencies.clock,
        sessionRule: sessionRule, issuerName: configuration.publicURL.host)
    let backupCodes = BackupCodeService(
        codes: stores.recoveryCodes, totp: stores.totp, tokens: stores.tokens, mailer: mailer, clock: dependencies.clock)
    let securityChanges = SecurityChangeAuthenticator(authenticator: authenticator, mfaTokens: mfaTokens, twoStep: twoStep)
    try app.register(collection: RecoveryKeyController(
        service: recoveryKeys, changes: securityChanges, authenticator: authenticator, customs: customs))
    try app.register(collection: TwoStepController(
        service: twoStep, backupCodes: backupCodes, changes: securityChanges, authenticator: authenticator, customs: customs))
    let secondaryEmails = SecondaryEmailService(
        accounts: stores.accounts, secondaryEmails: stores.secondaryEmails, codes: codes, mailer: mailer,
        clock: dependencies.clock)
    try app.register(collection: SecondaryEmailController(
        service: secondaryEmails, authenticator: authenticator, customs: customs))
    let oauthClients = OAuthClientAuthenticator(clients: stores.oauthClients)
    let accessJWT = AccessTokenJWT(keyRing: dependencies.keyRing, issuer: configuration.publicURL)
    let codeIssuer = AuthorizationCodeIssuer(
        clients: oauthClients, grants: stores.oauthGrants, sessionRule: sessionRule, clock: dependencies.clock)
    let accessTokens = AccessTokenLookup(accessJWT: accessJWT)
    let minter = TokenMinter(
        grants: stores.oauthGrants, idTokens: IDTokenSigner(signer: rs256, issuer: configuration.publicURL),
        accessJWT: accessJWT)
    try app.register(collection: OAuthController(
        codes: codeIssuer,
        authorizationCodeGrant: AuthorizationCodeGrant(
            clients: oauthClients, grants: stores.oauthGrants, minter: minter, clock: dependencies.clock),
        refreshTokenGrant: RefreshTokenGrant(
            clients: oauthClients, grants: stores.oauthGrants, minter: minter,
            keyBearingScopes: configuration.keyBearingScopes, clock: dependencies.clock),
        fxaCredentialsGrant: FxACredentialsGrant(
            clients: oauthClients, minter: minter, sessionRule: sessionRule, clock: dependencies.clock),
        registry: OAuthTokenRegistry(
            grants: stores.oauthGrants, clients: oauthClients, lookup: accessTokens, clock: dependencies.clock),
        authenticator: authenticator))
    try app.register(collection: ScopedKeyDataController(
        authenticator: authenticator, clients: stores.oauthClients,
        keyBearingScopes: configuration.keyBearingScopes))
    let authorizedClients = AuthorizedClients(grants: stores.oauthGrants, clients: stores.oauthClients, clock: dependencies.clock)
    try app.register(collection: AuthorizedClientsController(service: authorizedClients, authenticator: authenticator))
    let pushNotifier = PushNotifier(
        devices: stores.devices,
        vapid: VAPIDKey(subject: VAPIDKey.subject(
            publicURL: configuration.publicURL,
            mailFrom: configuration.smtp?.from ?? "accounts@\(URLComponents(string: configuration.publicURL.string)?.host ?? "localhost")")),
        policy: configuration.pushEndpoints, clock: dependencies.clock)
    app.lifecycle.use(pushNotifier)
    let deviceService = DeviceService(
        devices: stores.devices, push: pushNotifier, publicURL: configuration.publicURL, clock: dependencies.clock)
    try app.register(collection: DeviceController(
        service: deviceService,
        attached: AttachedClients(
            devices: deviceService, tokens: stores.tokens, authorizedClients: authorizedClients, clock: dependencies.clock),
        authenticator: authenticator, customs: customs))
    app.lifecycle.use(PeriodicSweeper(name: "devices") { [devices = stores.devices, clock = dependencies.clock] in
        try await devices.sweep(now: clock.now())
    })
    let avatarURLs = AvatarURLs(publicURL: configuration.publicURL)
    let profileAuthenticator = ProfileAuthenticator(
        profiles: stores.profiles, database: stores.database,
        cache: ProfileReadCache(lifetime: TimeInterval(configuration.profileCacheSeconds)), lookup: accessTokens,
        avatars: avatarURLs, clock: dependencies.clock)
    let profileService = ProfileService(profiles: stores.profiles, clock: dependencies.clock)
    let webSessions = WebSessions(
        store: stores.webSessions, accounts: stores.accounts, clock: dependencies.clock,
        cookie: WebSessionCookie(publicURL: configuration.publicURL), sessionRule: sessionRule)
    let gate = WebPageGate(sessions: webSessions, publicURL: configuration.publicURL, sessionRule: sessionRule)
    let settingsPage = SettingsPageLoader(
        profiles: stores.profiles, emails: secondaryEmails, twoStep: twoStep, backupCodes: backupCodes,
        recoveryKeys: recoveryKeys)
    try app.register(collection: WebPagesController(
        gate: gate, authenticator: authenticator, settingsPage: settingsPage, profileService: profileService,
        authorizedClients: authorizedClients, clients: stores.oauthClients, devices: deviceService))
    try app.register(collection: SettingsFormsController(
        gate: gate, settings: settingsPage, emails: secondaryEmails, profileService: profileService,
        profiles: stores.profiles, customs: customs))
    try app.register(collection: WebAccountController(
        gate: gate, passwords: passwords, accounts: accounts, recoveryKeys: recoveryKeys, customs: customs))
    try app.register(collection: TwoStepSettingsController(
        gate: gate, settings: settingsPage, twoStep: twoStep, backupCodes: backupCodes, recoveryKeys: recoveryKeys,
        customs: customs))
    try app.register(collection: ConsoleController(
        gate: gate, administration: dependencies.clientAdministration(), outbox: stores.outbox,
        publicURL: configuration.publicURL))
    app.lifecycle.use(PeriodicSweeper(name: "web-sessions") { try await webSessions.sweep() })
    try app.register(collection: ProfileController(
        authenticator: profileAuthenticator, service: profileService, avatars: avatarURLs))
    try app.register(collection: AvatarController(
        authenticator: profileAuthenticator, service: profileService, profiles: stores.profiles, avatars: avatarURLs))
    let flowKeys = MetricsFlowKeys(keyRing: dependencies.keyRing)
    try app.register(collection: MetricsFlowController(keys: flowKeys, clock: dependencies.clock))
    let authorizationValidator = BrowserAuthorizationValidator(clients: oauthClients, flowKeys: flowKeys, clock: dependencies.clock)
    try app.register(collection: FirefoxSigninController(
        validator: authorizationValidator, keyBearingScopes: configuration.keyBearingScopes, gate: gate,
        developmentLanding: configuration.mode == .development
            ? DevelopmentLandingPage(publicURL: configuration.publicURL) : nil))
    try app.register(collection: AssetsController())
    try app.register(collection: AuthorizationPageController(
        validator: authorizationValidator,
        publicURL: configuration.publicURL, keyBearingScopes: configuration.keyBearingScopes, gate: gate,
        codes: codeIssuer, clock: dependencies.clock))
    let grantSweeper = ExpiredGrantSweeper(grants: stores.oauthGrants, clock: dependencies.clock)
    app.lifecycle.use(PeriodicSweeper(name: "expired-oauth-grants") { try await grantSweeper.sweep() })
    let historySweeper = EventHistorySweeper(
        outbox: stores.outbox, clock: dependencies.clock, retention: configuration.eventDelivery.retention, logger: app.logger)
    app.lifecycle.use(PeriodicSweeper(name: "event-history") { try await historySweeper.sweep() })
    if configuration.syncEnabled {
        let tokenserver = app.grouped(SyncServiceMiddleware(service: .tokenserver, clock: dependencies.clock))
        try tokenserver.register(collection: TokenserverController(issuer: SyncTokenIssuer(
            grants: stores.oauthGrants, accounts: stores.accounts, syncUsers: stores.syncUsers, lookup: accessTokens,
            secrets: SyncTokenSecrets(keyRing: dependencies.keyRing), node: configuration.publicURL.string,
            nodeType: configuration.database.isShared ? .postgres : .sqlite, clock: dependencies.clock)))
        // Any other request under /token still gets the tokenserver's body.
        for method in [HTTPMethod.GET, .POST, .PUT, .PATCH, .DELETE] {
            tokenserver.on(method, PathComponent(stringLiteral: TokenserverController.mountPath), "**") { _ -> Response in
                throw FxAError.unknownEndpoint()
            }
        }
    }
    if configuration.eventDelivery.enabled {
        app.lifecycle.use(EventDeliveryWorker(
            outbox: stores.outbox, clients: stores.oauthClients,
            signer: SecurityEventTokenSigner(signer: rs256, issuer: configuration.publicURL),
            policy: configuration.eventDelivery, clock: dependencies.clock, metrics: dependencies.metrics))
    }
    if configuration.mode == .development {
        try app.register(collection: DevMailboxController(store: stores.mailbox))
    }
    if configuration.metricsEnabled {
        try app.register(collection: MetricsController(metrics: dependencies.metrics, database: stores.database))
    }
    return app
}
