import FluentSQL
import FxACore
@testable import FxAStore
import Foundation
import Logging
import Testing

/// What only the embedded backend has: a file on disk in WAL mode that keeps
/// its data across process restarts.
@Suite("SQLite file storage")
struct SQLiteFileTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("fxa-sqlite-\(SecureRandom.bytes(6).hexString)")
    var path: String { folder.appendingPathComponent("nested/fxa.sqlite").path }

    @Test func theDatabaseFolderIsCreatedAndWALModeIsOn() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        let rows = try await (try database.handle() as! any SQLDatabase).raw("PRAGMA journal_mode").all()
        let mode = try rows.first?.decode(column: "journal_mode", as: String.self)
        await database.shutdown()
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    /// Writes go through one connection; when another process (an operator
    /// command) holds the lock, it waits with SQLite's sleeping busy handler
    /// rather than SQLiteNIO's spinning one: the writer, Fluent's migration
    /// connection and every reader lent at once.
    @Test func everyConnectionWaitsForAnotherProcessesLockBySleeping() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        var timeouts: [Int] = []
        for sql in [try database.sql(), try database.handle() as! any SQLDatabase] {
            let rows = try await sql.raw("PRAGMA busy_timeout").all()
            timeouts.append(try rows.first?.decode(column: "timeout", as: Int.self) ?? -1)
        }
        let readers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    let rows = try await database.readSQL().raw("PRAGMA busy_timeout").all()
                    return try rows.first?.decode(column: "timeout", as: Int.self) ?? -1
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        await database.shutdown()
        #expect(timeouts == [10_000, 10_000])
        #expect(readers == [10_000])
    }

    /// The connections that serve lookups cannot write, even by mistake.
    @Test func theReadersRefuseToWrite() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        await #expect(throws: FxAStoreError.self) {
            try await database.readSQL().raw("CREATE TABLE refused (id INTEGER)").run()
        }
        await database.shutdown()
    }

    @Test(arguments: [(SQLiteDurability.full, 2), (.normal, 1)])
    func theWriterUsesTheChosenDurability(durability: SQLiteDurability, pragmaValue: Int) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"), sqliteDurability: durability)
        try await database.migrate()
        let rows = try await database.sql().raw("PRAGMA synchronous").all()
        let value = try rows.first?.decode(column: "synchronous", as: Int.self)
        await database.shutdown()
        #expect(value == pragmaValue)
    }

    /// The writer never checkpoints inside a COMMIT; the checkpointer
    /// copies the log into the database file on its own, while the server
    /// runs (not only when it closes).
    @Test func committedPagesReachTheDatabaseFileWhileTheServerRuns() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        let autocheckpoint = try await database.sql().raw("PRAGMA wal_autocheckpoint").first()?
            .decode(column: "wal_autocheckpoint", as: Int.self)
        #expect(autocheckpoint == 0)
        try await database.sql().raw("CREATE TABLE filler (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)").run()
        let before = try fileSize(path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<500 {
                group.addTask {
                    try await database.sql().raw("INSERT INTO filler (id, bytes) VALUES (\(bind: id), randomblob(4000))").run()
                }
            }
            try await group.waitForAll()
        }
        // 2 MB committed: in the log at once, in the file within a few intervals.
        var grown = false
        for _ in 0..<40 where !grown {
            try await Task.sleep(for: .milliseconds(100))
            grown = try fileSize(path) - before > 1_500_000
        }
        #expect(grown)
        await database.shutdown()
    }

    private func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }

    @Test func aKeyWrittenBeforeAReopenIsStillThere() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = StoredSigningKey(kid: "k1", pem: "pem", status: .current, createdAt: Date(timeIntervalSince1970: 1_700_000_000))

        let first = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await first.migrate()
        _ = try await Stores(database: first).signingKeys.insertCurrentIfAbsent(key)
        await first.shutdown()

        let second = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await second.migrate()
        let published = try await Stores(database: second).signingKeys.publishedKeys()
        await second.shutdown()
        #expect(published == [key])
    }
}
