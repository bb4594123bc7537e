import Logging
import Synchronization

/// Copies committed pages from SQLite's write-ahead log back into the
/// database file, on a connection and a thread of its own.
///
/// SQLite does this by default inside the COMMIT that takes the log past
/// 1000 pages, on the writer: with a large database, whose inserts dirty
/// pages all over its indexes, that COMMIT also wrote and fsynced a few
/// megabytes into the database file, and every caller of its batch waited
/// (the code flow's p99 at a million rows, bench/scale). The writer turns
/// that off (`wal_autocheckpoint = 0`) and this checkpoints instead, a
/// `PASSIVE` one that never waits for the writer or a reader and never
/// makes them wait, a few times a second while there are new commits.
///
/// Durability does not depend on it: a committed transaction is in the
/// log (fsynced with `synchronous=full`) whether or not it was copied.
final class SQLiteCheckpointer: Sendable {
    private let connection: DirectSQLiteConnection
    private let executor = ThreadTaskExecutor()
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// How often it looks for new commits.
    static let interval: Duration = .milliseconds(250)

    init(path: String, busyTimeoutMilliseconds: Int) throws {
        connection = try DirectSQLiteConnection(path: path, pragmas: ["PRAGMA busy_timeout = \(busyTimeoutMilliseconds)"])
    }

    /// Starts checkpointing whenever `commits` has moved since the last time.
    func start(commits: @escaping @Sendable () -> UInt64, logger: Logger) {
        let connection = connection
        let running = Task(executorPreference: executor) {
            var checkpointed: UInt64 = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                let committed = commits()
                guard committed != checkpointed else { continue }
                do {
                    try connection.run("PRAGMA wal_checkpoint(PASSIVE)", binds: []) { _ in }
                    checkpointed = committed
                } catch {
                    // The log keeps growing until a checkpoint succeeds; no
                    // data is at risk. Tried again next time.
                    logger.warning("SQLite checkpoint failed", metadata: ["cause": "\(error)"])
                }
            }
        }
        task.withLock { $0 = running }
    }

    /// Stops, then closes its connection; the last connection to close
    /// checkpoints everything that is left.
    func stop() async {
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
        connection.close()
        await executor.shutdown()
    }
}
