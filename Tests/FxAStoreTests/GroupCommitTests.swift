import FluentSQL
import FxACore
@testable import FxAStore
import Foundation
import Logging
import Testing

/// SQLite's group commit (``SQLiteGroupCommit``): concurrent writers share
/// COMMITs, yet each is answered only when its own work is durable, and one
/// that fails fails alone. On a real file, so each COMMIT is an fsync.
@Suite("SQLite group commit")
struct GroupCommitTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("fxa-group-commit-\(SecureRandom.bytes(6).hexString)")
    var path: String { folder.appendingPathComponent("fxa.sqlite").path }

    struct Refused: Error, Equatable {
        let id: Int
    }

    func open() async throws -> StoreDatabase {
        let database = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        try await database.sql().raw("CREATE TABLE IF NOT EXISTS gc_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)").run()
        return database
    }

    func ids(_ database: StoreDatabase) async throws -> Set<Int> {
        let rows = try await database.readSQL().raw("SELECT id FROM gc_probe").all()
        return Set(try rows.map { try $0.decode(column: "id", as: Int.self) })
    }

    @Test func concurrentTransactionsShareCommitsAndAllLand() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let before = try #require(database.groupCommitCounts)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<200 {
                group.addTask {
                    try await database.transaction { sql in
                        try await sql.raw("INSERT INTO gc_probe (id, note) VALUES (\(bind: id), 'a')").run()
                        try await sql.raw("UPDATE gc_probe SET note = 'b' WHERE id = \(bind: id)").run()
                    }
                }
            }
            try await group.waitForAll()
        }
        let after = try #require(database.groupCommitCounts)
        #expect(try await ids(database) == Set(0..<200))
        #expect(after.transactions - before.transactions == 200)
        #expect(after.commits - before.commits < 100, "200 concurrent transactions took \(after.commits - before.commits) commits")
        await database.shutdown()
    }

    /// Every fifth caller inserts its row and then fails (a duplicate key
    /// or an error of its own): its row is rolled back and it gets its own
    /// error; the others in the same batches commit.
    @Test func aFailingTransactionFailsAloneAndLeavesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        try await database.sql().raw("INSERT INTO gc_probe (id, note) VALUES (-1, 'taken')").run()
        let results = try await withThrowingTaskGroup(of: (Int, Result<Void, any Error>).self) { group in
            for id in 0..<100 {
                group.addTask {
                    do {
                        try await database.transaction { sql in
                            try await sql.raw("INSERT INTO gc_probe (id, note) VALUES (\(bind: id), 'x')").run()
                            if id % 10 == 0 {
                                try await sql.raw("INSERT INTO gc_probe (id, note) VALUES (-1, 'duplicate')").run()
                            } else if id % 5 == 0 {
                                throw Refused(id: id)
                            }
                        }
                        return (id, .success(()))
                    } catch {
                        return (id, .failure(error))
                    }
                }
            }
            var results: [Int: Result<Void, any Error>] = [:]
            for try await (id, result) in group { results[id] = result }
            return results
        }
        for (id, result) in results {
            switch (id % 5 == 0, result) {
            case (false, .success): break
            case (true, .failure(let error)):
                if id % 10 != 0 { #expect(error as? Refused == Refused(id: id), "its own error, not a neighbour's") }
            default: Issue.record("caller \(id): \(result)")
            }
        }
        let expected = Set((0..<100).filter { $0 % 5 != 0 }).union([-1])
        #expect(try await ids(database) == expected)
        await database.shutdown()
    }

    /// Single statements on `sql()` are transactions of their own in the
    /// same batches, and what was acknowledged is on disk for the next
    /// process to open.
    @Test func singleStatementsAreBatchedAndSurviveAReopen() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let before = try #require(database.groupCommitCounts)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 0..<100 {
                group.addTask {
                    try await database.sql().raw("INSERT INTO gc_probe (id, note) VALUES (\(bind: id), 'one')").run()
                }
            }
            try await group.waitForAll()
        }
        let after = try #require(database.groupCommitCounts)
        #expect(after.commits - before.commits < 60)
        await database.shutdown()

        let reopened = try await open()
        #expect(try await ids(reopened) == Set(0..<100))
        await reopened.shutdown()
    }

    /// A store method used inside a transaction starts its own statement
    /// or transaction: it joins the enclosing one (and rolls back with it)
    /// instead of waiting for a batch that cannot start until it ends.
    @Test(.timeLimit(.minutes(3))) func workStartedInsideABatchJoinsIt() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        try await database.transaction { _ in
            try await database.sql().raw("INSERT INTO gc_probe (id, note) VALUES (1, 'nested statement')").run()
            try await database.transaction { sql in
                try await sql.raw("INSERT INTO gc_probe (id, note) VALUES (2, 'nested transaction')").run()
            }
        }
        await #expect(throws: Refused.self) {
            try await database.transaction { _ in
                try await database.sql().raw("INSERT INTO gc_probe (id, note) VALUES (3, 'rolled back')").run()
                throw Refused(id: 3)
            }
        }
        #expect(try await ids(database) == [1, 2])
        await database.shutdown()
    }

    /// A batch, its bodies and the COMMIT's fsync run on the writer's own
    /// thread, never on the caller's (an event loop, in the server).
    @Test func transactionBodiesRunOnTheWritersThread() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let writer = try #require(try database.sqliteWriter)
        let onWriter = try await database.transaction { sql in
            try await sql.raw("INSERT INTO gc_probe (id, note) VALUES (1, 'here')").run()
            return writer.isCurrentThread
        }
        #expect(onWriter)
        #expect(!writer.isCurrentThread)
        await database.shutdown()
    }

    /// Shutting down lets what was queued commit, then refuses new work
    /// with an error instead of leaving its caller waiting.
    @Test(.timeLimit(.minutes(3))) func shutdownCommitsWhatWasQueuedAndRefusesTheRest() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await open()
        let queued = (0..<50).map { id in
            Task { try await database.sql().raw("INSERT INTO gc_probe (id, note) VALUES (\(bind: id), 'queued')").run() }
        }
        // Let them reach the queue before the shutdown starts.
        try await Task.sleep(for: .milliseconds(50))
        await database.shutdown()
        var committed = 0
        for task in queued {
            do {
                try await task.value
                committed += 1
            } catch let error as FxAStoreError {
                #expect(error == .unavailable("the database connections are closed"))
            }
        }
        #expect(committed > 0)
        await #expect(throws: FxAStoreError.self) { try await database.transaction { _ in 1 } }
        let reopened = try StoreDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await reopened.migrate()
        #expect(try await ids(reopened).count == committed)
        await reopened.shutdown()
    }
}
