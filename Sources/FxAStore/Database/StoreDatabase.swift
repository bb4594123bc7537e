import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import SQLKit
import Synchronization

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
    /// SQLite: the event loop of Fluent's one connection, which runs the
    /// migrations (everything else uses ``SQLiteConnections``).
    /// PostgreSQL: nil, any loop's pool will do.
    private let sqliteLoop: (any EventLoop)?
    private let sqliteDurability: SQLiteDurability
    /// SQLite: the file the direct connections open.
    private let sqlitePath: String?
    /// SQLite: the writer (every write transaction, and every statement on
    /// ``sql()``, commits through its group commit, many per fsync) and the
    /// readers, opened on first use, after the migrations that Fluent's
    /// connection runs. PostgreSQL: nil; its server groups commits itself.
    private let sqliteConnections = Mutex<SQLiteConnections?>(nil)
    private let closed = Atomic<Bool>(false)
    private let changes = Atomic<UInt64>(0)
    private static let id = DatabaseID(string: "fxa")

    /// Opens connection pools for `location`. Nothing is connected until the
    /// first query; call ``prepare()`` or ``migrate()`` before serving.
    public init(location: DatabaseLocation, logger: Logger, sqliteDurability: SQLiteDurability = .full) throws {
        self.location = location
        self.sqliteDurability = sqliteDurability
        self.logger = logger
        databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        var scratchFile: String?
        switch location {
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), connectionPoolTimeout: Self.sqliteWait, sqlLogLevel: .trace), as: Self.id)
            sqlitePath = path
        case .sqliteInMemory:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("fxa-scratch-\(UUID().uuidString).sqlite").path
            scratchFile = path
            sqlitePath = path
            databases.use(.sqlite(.file(path), connectionPoolTimeout: Self.sqliteWait, sqlLogLevel: .trace), as: Self.id)
        case .postgres(let url, let searchPath):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw FxAStoreError.invalidDatabaseURL
            }
            sqlitePath = nil
            if let searchPath { configuration.searchPath = [searchPath] }
            databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace),
                as: Self.id)
        }
        self.scratchFile = scratchFile
        sqliteLoop = sqlitePath == nil ? nil : databases.eventLoopGroup.next()
    }

    /// SQLite's group commit so far: transactions committed and the COMMITs
    /// (fsyncs) that made them durable. `nil` on PostgreSQL.
    public var groupCommitCounts: (transactions: UInt64, commits: UInt64)? {
        guard sqlitePath != nil else { return nil }
        return sqliteConnections.withLock { $0?.groupCommit.counts } ?? (0, 0)
    }

    /// SQLite's writer, for tests that check where its work runs.
    var sqliteWriter: SQLiteWriter? {
        get throws { try sqlite()?.writer }
    }

    /// SQLite's direct connections, opened by the first caller.
    private func sqlite() throws -> SQLiteConnections? {
        guard let sqlitePath else { return nil }
        return try sqliteConnections.withLock { connections in
            if let connections { return connections }
            guard !closed.load(ordering: .acquiring) else {
                throw FxAStoreError.unavailable("the database connections are closed")
            }
            let opened = try SQLiteConnections(
                path: sqlitePath, durability: sqliteDurability,
                busyTimeoutMilliseconds: Self.sqliteBusyTimeoutMilliseconds,
                version: directSQL().version, logger: logger, eventLoop: databases.eventLoopGroup.any())
            connections = opened
            return opened
        }
    }

    /// How long a query may wait for Fluent's SQLite connection (the
    /// migrations, and tests that use ``handle()``); on a loaded machine
    /// FluentKit's default of 10 s turned a queued write into an error.
    static let sqliteWait: TimeAmount = .seconds(30)

    /// Counts the changes this process committed that can make a cached
    /// read wrong: a token destroyed, an account deleted or its credentials
    /// replaced, a profile changed. A cache of such reads keeps the value it
    /// saw *before* reading and trusts an entry only while it is unchanged,
    /// so within one process nothing stale is ever served; changes made by
    /// other processes are bounded by the cache's own lifetime instead.
    public var changeGeneration: UInt64 { changes.load(ordering: .acquiring) }

    /// Records that a change of that kind has committed. Stores call it when
    /// the write is done (not before: a reader between the two would cache
    /// the old value under the new count).
    func noteCommittedChange() {
        changes.wrappingAdd(1, ordering: .releasing)
    }

    /// A database handle for one unit of work. Handles are cheap; they share
    /// the process-wide pool.
    ///
    /// - Throws: ``FxAStoreError/unavailable(_:)`` after ``shutdown()``, so a
    ///   request that races a graceful stop fails cleanly instead of crashing.
    public func handle() throws -> any Database {
        guard let database = databases.database(Self.id, logger: logger, on: sqliteLoop ?? databases.eventLoopGroup.any()) else {
            throw FxAStoreError.unavailable("the database connections are closed")
        }
        return database
    }

    /// A handle for a single read that must not wait for the writer: the
    /// token, session and client lookups of every request, each by a key.
    /// Anything that writes, scans, or reads inside a transaction uses
    /// ``sql()`` or ``transaction(_:)``.
    func readSQL() throws -> any SQLDatabase {
        guard let sqlite = try sqlite() else { return try sql() }
        return sqlite.readerSQL
    }

    /// The writer seen as SQL, for every statement outside a transaction:
    /// on SQLite each statement is its own transaction in the group commit.
    /// Both drivers (SQLite, PostgreSQL) are SQL databases.
    func sql() throws -> any SQLDatabase {
        guard let sqlite = try sqlite() else { return try directSQL() }
        return GroupCommittedSQL(base: sqlite.writerSQL, groupCommit: sqlite.groupCommit)
    }

    /// The writer connection itself, outside the group commit: for what may
    /// not run inside a transaction (PRAGMAs, the health probe).
    private func directSQL() throws -> any SQLDatabase {
        try handle() as! any SQLDatabase
    }

    /// Runs `body` in one transaction on the writer: everything it writes
    /// commits together or not at all, and on SQLite nothing else writes
    /// in between (the group commit runs it in a savepoint of a batch).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let sqlite = try sqlite() { return try await sqlite.groupCommit.run(body) }
        return try await handle().transaction { tx in try await body(sqlDatabase(tx)) }
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
        if sqlitePath != nil {
            // WAL lets readers proceed while one writer commits and survives a
            // crash (kill -9) without losing committed transactions. The
            // scratch file of `sqlite::memory:` too: its readers run on the
            // caller's thread (SQLiteReaderPool), and in rollback mode one
            // would sleep there whenever the writer commits.
            try await directSQL().raw("PRAGMA journal_mode=WAL").run()
        }
        try await configureSQLiteConnections()
        let migrations = Migrations()
        for migration in FxAMigrations.all {
            migrations.add(migration, to: Self.id)
        }
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: sqliteLoop ?? databases.eventLoopGroup.any(), migrationLogLevel: .info)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// How long SQLite waits for a lock held by another process (an
    /// operator command next to the server) before "database is locked".
    static let sqliteBusyTimeoutMilliseconds = 10_000

    /// SQLite writes go through one connection, so writers in this process
    /// never contend for SQLite's lock: with a connection per event loop they did,
    /// and SQLiteNIO's busy handler spins while SQLite's own sleeps with a
    /// growing back-off, either of which wrecked latency under concurrent
    /// writes (bench/oauth). SQLite commits one writer at a time anyway.
    /// That writer, and the readers for the hot lookups, are direct
    /// connections (``SQLiteConnections``) with these settings of their own;
    /// Fluent's connection, configured here, runs the migrations. The busy
    /// timeout covers the other processes that may open the file
    /// (`fxa-server account …` while the server runs).
    private func configureSQLiteConnections() async throws {
        guard sqliteLoop != nil else { return }
        try await directSQL().raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.sqliteBusyTimeoutMilliseconds))").run()
        try await directSQL().raw("PRAGMA synchronous = \(unsafeRaw: sqliteDurability.rawValue.uppercased())").run()
    }

    /// Proves the database answers a query (for `/__heartbeat__`).
    /// On SQLite every connection that serves requests answers: a reader,
    /// and the writer through its group commit (so a stuck writer fails the
    /// heartbeat rather than only the writes).
    public func ping() async throws {
        _ = try await directSQL().raw("SELECT 1 AS ok").all()
        guard sqlitePath != nil else { return }
        _ = try await readSQL().raw("SELECT 1 AS ok").all()
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
        closed.store(true, ordering: .releasing)
        let connections = sqliteConnections.withLock { connections in
            defer { connections = nil }
            return connections
        }
        await connections?.close()
        await databases.shutdownAsync()
        if let scratchFile {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: scratchFile + suffix)
            }
        }
    }
}
