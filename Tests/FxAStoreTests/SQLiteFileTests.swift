import FluentSQL
import FxACore
import FxAStore
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
    /// rather than SQLiteNIO's spinning one (checked on many handles).
    @Test func theWriterWaitsForAnotherProcessesLockBySleeping() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        var timeouts: Set<Int> = []
        for _ in 0..<40 {
            let rows = try await (try database.handle() as! any SQLDatabase).raw("PRAGMA busy_timeout").all()
            timeouts.insert(try rows.first?.decode(column: "timeout", as: Int.self) ?? -1)
        }
        await database.shutdown()
        #expect(timeouts == [10_000])
    }

    @Test(arguments: [(SQLiteDurability.full, 2), (.normal, 1)])
    func theWriterUsesTheChosenDurability(durability: SQLiteDurability, pragmaValue: Int) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"), sqliteDurability: durability)
        try await database.migrate()
        let rows = try await (try database.handle() as! any SQLDatabase).raw("PRAGMA synchronous").all()
        let value = try rows.first?.decode(column: "synchronous", as: Int.self)
        await database.shutdown()
        #expect(value == pragmaValue)
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
