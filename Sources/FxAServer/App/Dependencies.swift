import FxACore
import FxAStore
import Logging
import NIOCore
import NIOPosix

/// Everything the server's controllers need, built once per process (or per
/// test) and handed to each controller at app assembly. Nothing here is
/// global: two apps in one process (as in tests) share no state.
public struct Dependencies: Sendable {
    public let configuration: ServerConfiguration
    public let stores: Stores
    public let clock: any WallClock
    public let keyRing: SigningKeyRing
    public let metrics: ServerMetrics
    /// Threads for scrypt off the event loops, one per core, at a lower
    /// scheduling priority than the event loops (see ``PasswordHasher``).
    let hashingPool: NIOThreadPool
    /// RS256 signatures (ID tokens, Security Event Tokens): a pool of its
    /// own, so a burst of logins (scrypt, many milliseconds each) never
    /// queues a token exchange's signature behind password hashes.
    let signingPool: NIOThreadPool
    /// scrypt's N for the password verifiers this server stores and checks.
    /// Always ``VerifierHash/standardCost`` for a server; a test suite
    /// lowers it (see ``VerifierHash/init(authPW:authSalt:cost:)``).
    let passwordStretchCost: Int

    public init(
        configuration: ServerConfiguration, stores: Stores, clock: any WallClock,
        keyRing: SigningKeyRing, metrics: ServerMetrics, passwordStretchCost: Int = VerifierHash.standardCost
    ) {
        self.passwordStretchCost = passwordStretchCost
        self.configuration = configuration
        self.stores = stores
        self.clock = clock
        self.keyRing = keyRing
        self.metrics = metrics
        hashingPool = NIOThreadPool(numberOfThreads: System.coreCount)
        hashingPool.start()
        signingPool = NIOThreadPool(numberOfThreads: System.coreCount)
        signingPool.start()
    }

    /// Opens the configured database and key source. Does not migrate: call
    /// ``prepareStorage(logger:)`` before serving.
    ///
    /// - Parameter passwordStretchCost: for tests only; see ``passwordStretchCost``.
    public static func open(
        configuration: ServerConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        passwordStretchCost: Int = VerifierHash.standardCost
    ) throws -> Dependencies {
        let database = try StoreDatabase(
            location: configuration.database, logger: logger, sqliteDurability: configuration.sqliteDurability)
        let stores = Stores(database: database)
        let keyRing = try SigningKeyRing.configured(configuration.signingKeys, store: stores.signingKeys, clock: clock)
        return Dependencies(
            configuration: configuration, stores: stores, clock: clock, keyRing: keyRing, metrics: ServerMetrics(),
            passwordStretchCost: passwordStretchCost)
    }

    /// Migrates the database and makes sure a signing key exists, under the
    /// database's startup lock, so several instances starting at once on
    /// one PostgreSQL do this one after another.
    ///
    /// - Returns: the current signing key's id.
    @discardableResult
    public func prepareStorage(logger: Logger) async throws -> String {
        let database = stores.database
        let keyRing = keyRing
        return try await database.withStartupLock {
            try await database.migrateHoldingStartupLock()
            return try await keyRing.bootstrap(logger: logger)
        }
    }

    /// Releases the database connections.
    public func shutdown() async {
        await stores.database.shutdown()
        try? await hashingPool.shutdownGracefully()
        try? await signingPool.shutdownGracefully()
    }
}
