import Foundation
import Logging
import NIOCore
import SQLKit
import Synchronization

/// Group commit for SQLite's one writer connection: write transactions that
/// arrive while another batch is committing wait together, then run one
/// after the other inside a single SQLite transaction and are made durable
/// by one COMMIT, one fsync for all of them, instead of one each.
///
/// Each caller keeps its own transaction's meaning:
/// - its work runs in a savepoint, so a caller whose work throws is rolled
///   back alone and gets its own error, while the rest of the batch commits;
/// - it is answered only after the COMMIT that made its work durable (with
///   `synchronous=full`, on the disk), never before;
/// - the works of a batch run in arrival order on one connection, so each
///   sees the ones before it, exactly as if they had committed one by one.
///
/// If the COMMIT itself fails, every caller in the batch gets that error.
/// For a refused COMMIT (a full disk) nothing was written; for an I/O
/// error during the fsync the outcome is unknown, as for any database, and
/// WAL recovery may yet keep the batch.
///
/// A body should use only the `SQLDatabase` it is given. A transaction or
/// statement it starts through the store anyway joins the batch's
/// transaction instead of waiting for a batch that cannot start; asking the
/// Fluent connection directly (``StoreDatabase/handle()``) would wait for
/// SQLite's write lock, which the batch holds, as inside any transaction.
final class SQLiteGroupCommit: Sendable {
    /// The writer connection as SQL; its statements run on the caller's
    /// thread, which inside a batch is the writer's.
    private let sql: any SQLDatabase
    /// The writer's thread, where every batch runs.
    private let executor: any TaskExecutor
    private let state = Mutex(State())
    private let transactionCount = Atomic<UInt64>(0)
    private let commitCount = Atomic<UInt64>(0)

    /// The batch being run (which group commit, on which connection), so
    /// that a transaction started from inside one of its works joins it
    /// (see ``run(_:)``). Another database's work is not affected.
    @TaskLocal static var enclosing: (owner: ObjectIdentifier, sql: any SQLDatabase)?

    /// Work started from inside a batch: in a savepoint of its own, so that
    /// if it throws and its caller carries on, its writes are undone.
    private func nested<T: Sendable>(
        _ work: @escaping @Sendable (any SQLDatabase) async throws -> T, on sql: any SQLDatabase
    ) async throws -> T {
        try await sql.raw("SAVEPOINT nested").run()
        do {
            let value = try await work(sql)
            try await sql.raw("RELEASE nested").run()
            return value
        } catch {
            try await sql.raw("ROLLBACK TO nested").run()
            try await sql.raw("RELEASE nested").run()
            throw error
        }
    }

    /// A batch never grows past this many transactions, so one caller's
    /// wait is bounded even under a flood.
    static let largestBatch = 256

    init(sql: any SQLDatabase, executor: any TaskExecutor) {
        self.sql = sql
        self.executor = executor
    }

    private struct State {
        var pending: [Pending] = []
        /// Whether a drain task is running; at most one is.
        var draining = false
        /// Set by ``close()``: no new work is taken.
        var closed = false
        /// ``close()`` waiting for the running drain to finish.
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private struct Pending: Sendable {
        let work: @Sendable (any SQLDatabase) async throws -> any Sendable
        let answer: CheckedContinuation<any Sendable, any Error>
    }

    /// Transactions committed since the process started (not those rolled
    /// back in a batch), and the COMMITs that made them durable: their
    /// ratio is the batching achieved.
    var counts: (transactions: UInt64, commits: UInt64) {
        (transactionCount.load(ordering: .relaxed), commitCount.load(ordering: .relaxed))
    }

    /// Runs `work` as one transaction in the next batch and returns its
    /// result once the batch is durable.
    func run<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // Called from inside a batch's work (a store method used within a
        // transaction): waiting for the next batch would wait for this one
        // forever, so the work joins the transaction it is already in.
        if let enclosing = Self.enclosing, enclosing.owner == ObjectIdentifier(self) {
            return try await nested(work, on: enclosing.sql)
        }
        let value = try await withCheckedThrowingContinuation { (answer: CheckedContinuation<any Sendable, any Error>) in
            let startDrain = state.withLock { state -> Bool? in
                guard !state.closed else { return nil }
                state.pending.append(Pending(work: { try await work($0) }, answer: answer))
                defer { state.draining = true }
                return !state.draining
            }
            guard let startDrain else {
                answer.resume(throwing: FxAStoreError.unavailable("the database connections are closed"))
                return
            }
            if startDrain {
                // On the writer's thread: the batch's bodies run there too,
                // each statement synchronously (SQLiteWriter).
                Task(executorPreference: executor) { await self.drain() }
            }
        }
        return value as! T
    }

    /// Commits batches until nobody is waiting.
    private func drain() async {
        while true {
            let (batch, closing): ([Pending], [CheckedContinuation<Void, Never>]) = state.withLock { state in
                let taken = Array(state.pending.prefix(Self.largestBatch))
                state.pending.removeFirst(taken.count)
                guard taken.isEmpty else { return (taken, []) }
                state.draining = false
                defer { state.drained = [] }
                return ([], state.drained)
            }
            if batch.isEmpty {
                for waiter in closing { waiter.resume() }
                return
            }
            await commit(batch)
        }
    }

    /// Refuses new work (``FxAStoreError/unavailable(_:)``) and returns once
    /// every transaction already queued has been committed or refused by
    /// its batch, so the writer can be closed with nothing in flight.
    func close() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                state.closed = true
                if state.draining { state.drained.append(done) }
                return !state.draining
            }
            if idle { done.resume() }
        }
    }

    /// One SQLite transaction for the whole batch, a savepoint per caller.
    private func commit(_ batch: [Pending]) async {
        let outcomes: [Result<any Sendable, any Error>]
        do {
            outcomes = try await runInOneTransaction(batch)
        } catch {
            // BEGIN, a savepoint or the COMMIT failed: nothing was written.
            for entry in batch { entry.answer.resume(throwing: error) }
            return
        }
        commitCount.add(1, ordering: .relaxed)
        let committed = outcomes.reduce(0) { count, outcome in
            if case .success = outcome { return count + 1 }
            return count
        }
        transactionCount.add(UInt64(committed), ordering: .relaxed)
        for (entry, outcome) in zip(batch, outcomes) {
            entry.answer.resume(with: outcome)
        }
    }

    /// Runs each work of `batch` in its own savepoint and commits them all;
    /// returns each one's outcome, or throws if the batch as a whole failed.
    private func runInOneTransaction(_ batch: [Pending]) async throws -> [Result<any Sendable, any Error>] {
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            var outcomes: [Result<any Sendable, any Error>] = []
            for entry in batch {
                try await sql.raw("SAVEPOINT caller").run()
                do {
                    let value = try await Self.$enclosing.withValue((ObjectIdentifier(self), sql)) {
                        try await entry.work(sql)
                    }
                    try await sql.raw("RELEASE caller").run()
                    outcomes.append(.success(value))
                } catch {
                    // This caller alone: undo its statements, keep the batch.
                    try await sql.raw("ROLLBACK TO caller").run()
                    try await sql.raw("RELEASE caller").run()
                    outcomes.append(.failure(error))
                }
            }
            try await sql.raw("COMMIT").run()
            return outcomes
        } catch {
            // Whatever failed, leave no transaction open for the next batch.
            do {
                try await sql.raw("ROLLBACK").run()
            } catch let rollback {
                // SQLite may have rolled back already (a failed COMMIT on a
                // full disk does); if not, the next BEGIN says so.
                sql.logger.warning("ROLLBACK after a failed batch failed", metadata: ["cause": "\(rollback)"])
            }
            throw error
        }
    }
}

/// The writer seen as an `SQLDatabase` whose every statement is its own
/// transaction in the group commit: what a store's single `INSERT`,
/// `UPDATE` or `DELETE` on ``StoreDatabase/sql()`` was before (an
/// autocommit), now sharing its fsync with whatever commits beside it.
struct GroupCommittedSQL: SQLDatabase {
    /// The writer itself, for what the protocol asks besides statements.
    let base: any SQLDatabase
    let groupCommit: SQLiteGroupCommit

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await groupCommit.run { sql in try await sql.execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // R is not known to be Sendable here; box it for the trip through
        // the batch, which hands it back to this caller only.
        let box = try await groupCommit.run { sql in UncheckedResult(value: try await closure(sql)) }
        return box.value
    }
}

/// A result carried from the batch's task back to the caller that made it.
private struct UncheckedResult<R>: @unchecked Sendable {
    let value: R
}
