import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQLKit

/// The one database a server process talks to: its connection pools, its
/// migrations, a health probe and a cross-process startup lock.
///
/// It is deliberately independent of Vapor so the CLI (`migrate`, `keys
/// rotate`, `client create`) and the conformance tests use the exact same
/// code path as the running server.
public final class StoreDatabase: Sendable {
    /// Where the data lives.
    public let location: DatabaseLocation
    private let databases: Databases
    private let logger: Logger
    /// The file behind `sqlite::memory:`, removed on ``shutdown()``.
    /// SQLiteKit fakes shared in-memory databases with files in the temporary
    /// folder that it never deletes (hundreds per test run); owning the file
    /// lets us clean it up.
    private let scratchFile: String?
    private static let id = DatabaseID(string: "fxa")

    /// Opens connection pools for `location`. Nothing is connected until the
    /// first query; call ``prepare()`` or ``migrate()`` before serving.
    public init(location: DatabaseLocation, logger: Logger) throws {
        self.location = location
        self.logger = logger
        databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        var scratchFile: String?
        switch location {
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: Self.id)
        case .sqliteInMemory:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("fxa-scratch-\(UUID().uuidString).sqlite").path
            scratchFile = path
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: Self.id)
        case .postgres(let url, let searchPath):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw FxAStoreError.invalidDatabaseURL
            }
            if let searchPath { configuration.searchPath = [searchPath] }
            databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace),
                as: Self.id)
        }
        self.scratchFile = scratchFile
    }

    /// A database handle for one unit of work. Handles are cheap; they share
    /// the process-wide pool.
    ///
    /// - Throws: ``FxAStoreError/unavailable(_:)`` after ``shutdown()``, so a
    ///   request that races a graceful stop fails cleanly instead of crashing.
    public func handle() throws -> any Database {
        guard let database = databases.database(Self.id, logger: logger, on: databases.eventLoopGroup.any()) else {
            throw FxAStoreError.unavailable("the database connections are closed")
        }
        return database
    }

    /// The same handle seen as SQL, for the few statements Fluent cannot
    /// express. Both drivers (SQLite, PostgreSQL) are SQL databases.
    func sql() throws -> any SQLDatabase {
        try handle() as! any SQLDatabase
    }

    /// Runs every pending migration. Safe to call from several processes at
    /// once: on PostgreSQL the work runs under ``withStartupLock(_:)``.
    public func migrate() async throws {
        try await withStartupLock {
            try await self.migrateHoldingStartupLock()
        }
    }

    /// Runs pending migrations without taking the startup lock, for a caller
    /// already inside ``withStartupLock(_:)`` (the lock is not reentrant).
    public func migrateHoldingStartupLock() async throws {
        if case .sqliteFile = location {
            // WAL lets readers proceed while one writer commits and survives a
            // crash (kill -9) without losing committed transactions.
            try await sql().raw("PRAGMA journal_mode=WAL").run()
        }
        try await configureSQLiteConnections()
        let migrations = Migrations()
        for migration in FxAMigrations.all {
            migrations.add(migration, to: Self.id)
        }
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: databases.eventLoopGroup.any(), migrationLogLevel: .info)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// How long a SQLite connection waits for another one's write to
    /// finish before failing with "database is locked".
    static let sqliteBusyTimeoutMilliseconds = 10_000

    /// Gives every SQLite connection SQLite's own sleeping busy handler.
    ///
    /// SQLiteNIO installs a busy handler that retries at once, forever: when
    /// two connections (one per event loop) both write, the one waiting for
    /// the lock spins on a CPU while the other fsyncs, which under load took
    /// a core away from the event loops (bench/oauth). `PRAGMA busy_timeout`
    /// replaces it with SQLite's handler, which sleeps between retries. The
    /// pools hold one connection per event loop, so one statement on each
    /// loop reaches every connection.
    private func configureSQLiteConnections() async throws {
        switch location {
        case .sqliteFile, .sqliteInMemory: break
        case .postgres: return
        }
        for loop in databases.eventLoopGroup.makeIterator() {
            guard let database = databases.database(Self.id, logger: logger, on: loop) else { continue }
            try await (database as! any SQLDatabase)
                .raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBusyTimeoutMilliseconds))").run()
        }
    }

    /// Proves the database answers a query (for `/__heartbeat__`).
    public func ping() async throws {
        _ = try await sql().raw("SELECT 1 AS ok").all()
    }

    /// Runs `body` while holding a lock that no other process on the same
    /// database holds at the same time.
    ///
    /// On PostgreSQL this is a session-level advisory lock on a dedicated
    /// connection (outside the pool, so the body can use every pooled
    /// connection without deadlocking). Two `fxa-server` processes starting
    /// together therefore migrate and create the first signing key one after
    /// the other. SQLite is single-process, so the body just runs.
    public func withStartupLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard case .postgres(let url, _) = location else {
            return try await body()
        }
        let configuration = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            on: databases.eventLoopGroup.any(),
            configuration: configuration.coreConfiguration,
            id: 0, logger: logger)
        do {
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.startupLockKey))", logger: logger)
            let result: T
            do {
                result = try await body()
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.startupLockKey))", logger: logger)
                throw error
            }
            _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.startupLockKey))", logger: logger)
            try await connection.close()
            return result
        } catch {
            // Closing the session releases the lock even if unlock failed.
            try? await connection.close()
            throw error
        }
    }

    /// An arbitrary constant naming swift-fxa's startup lock ("fxa" + 1).
    private static let startupLockKey: Int64 = 0x6678_6101

    /// Closes every pooled connection. Call once, before the process exits.
    public func shutdown() async {
        await databases.shutdownAsync()
        if let scratchFile {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: scratchFile + suffix)
            }
        }
    }
}
