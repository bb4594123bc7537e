import FxACore
@testable import FxAStore
import Foundation
import Logging
import SQLKit
import Testing

/// The server's own SQLite connections (``DirectSQLiteConnection``): values
/// come back exactly as they went in, a cached statement is reused with
/// new values, and a refused statement leaves the connection usable.
@Suite("Direct SQLite connections")
struct DirectSQLiteTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("fxa-direct-\(SecureRandom.bytes(6).hexString)")
    var path: String { folder.appendingPathComponent("fxa.sqlite").path }

    struct Probe: Codable, Equatable {
        let id: Int
        let note: String?
        let bytes: Data?
        let ratio: Double?
        let at: Date?
    }

    func open() async throws -> StoreDatabase {
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        try await database.sql().raw("""
            CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT, bytes BLOB, ratio REAL, at REAL)
            """).run()
        return database
    }

    func insert(_ probe: Probe, into database: StoreDatabase) async throws {
        try await database.sql().raw("""
            INSERT INTO probe (id, note, bytes, ratio, at)
            VALUES (\(bind: probe.id), \(bind: probe.note), \(bind: probe.bytes), \(bind: probe.ratio), \(bind: probe.at))
            """).run()
    }

    @Test func valuesComeBackAsTheyWentInThroughWriterAndReaders() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let probes = [
            Probe(id: 1, note: "", bytes: Data(), ratio: 0, at: Date(timeIntervalSince1970: 0)),
            Probe(id: 2, note: nil, bytes: nil, ratio: nil, at: nil),
            Probe(id: 3, note: "été \u{1F98A} a\u{0}b", bytes: Data([0, 255, 0, 7]), ratio: -1.5, at: Date(timeIntervalSince1970: 1_700_000_000.25)),
            Probe(id: Int.max, note: String(repeating: "x", count: 100_000), bytes: Data(count: 70_000), ratio: .greatestFiniteMagnitude, at: nil),
        ]
        for probe in probes { try await insert(probe, into: database) }
        for probe in probes {
            // The same statement each time, so each read reuses the cached one.
            let viaReader = try await database.readSQL().raw("SELECT * FROM probe WHERE id = \(bind: probe.id)").first(decoding: Probe.self)
            let viaWriter = try await database.sql().raw("SELECT * FROM probe WHERE id = \(bind: probe.id)").first(decoding: Probe.self)
            #expect(viaReader == probe)
            #expect(viaWriter == probe)
        }
        // An empty string and an empty blob are values, not NULL.
        let nulls = try await database.readSQL().raw("SELECT count(*) AS n FROM probe WHERE note IS NULL OR bytes IS NULL").first()
        #expect(try nulls?.decode(column: "n", as: Int.self) == 1)
        await database.shutdown()
    }

    @Test func aRefusedStatementNamesTheConstraintAndTheConnectionCarriesOn() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let probe = Probe(id: 1, note: "first", bytes: nil, ratio: nil, at: nil)
        try await insert(probe, into: database)
        do {
            try await insert(probe, into: database)
            Issue.record("a duplicate key was accepted")
        } catch let FxAStoreError.sqlite(_, message) {
            #expect(message.contains("UNIQUE constraint failed: probe.id"))
            #expect(!message.contains("first"))
        }
        do {
            _ = try await database.readSQL().raw("SELECT nope FROM probe").all()
            Issue.record("an unknown column was accepted")
        } catch let FxAStoreError.sqlite(_, message) {
            #expect(message.contains("no such column"))
        }
        // The same statements work again afterwards, with other values.
        try await insert(Probe(id: 2, note: "second", bytes: nil, ratio: nil, at: nil), into: database)
        let notes = try await database.readSQL().raw("SELECT * FROM probe ORDER BY id").all(decoding: Probe.self).map(\.note)
        #expect(notes == ["first", "second"])
        await database.shutdown()
    }

    @Test func nothingAnswersAfterShutdown() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        await database.shutdown()
        #expect(throws: FxAStoreError.self) { try database.readSQL() }
        await #expect(throws: FxAStoreError.self) { try await database.transaction { _ in 1 } }
    }
}
