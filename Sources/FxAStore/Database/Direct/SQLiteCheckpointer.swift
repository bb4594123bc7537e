import Logging
import NIOCore
import NIOPosix
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
/// makes them wait, a few times a second while there is something to copy.
///
/// Durability does not depend on it: a committed transaction is in the
/// log (fsynced with `synchronous=full`) whether or not it was copied.
final class SQLiteCheckpointer: Sendable {
    private let connection: DirectSQLiteConnection
    /// A thread of its own: the copy and its fsync block it.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let repeating = Mutex<RepeatedTask?>(nil)

    /// How often it looks for new commits.
    static let interval: TimeAmount = .milliseconds(250)

    init(path: String, busyTimeoutMilliseconds: Int) throws {
        connection = try DirectSQLiteConnection(path: path, pragmas: ["PRAGMA busy_timeout = \(busyTimeoutMilliseconds)"])
    }

    deinit {
        group.shutdownGracefully { _ in }
    }

    /// Starts checkpointing whenever `commits` has moved, or the last
    /// checkpoint could not copy everything (a reader still needed a page).
    func start(commits: @escaping @Sendable () -> UInt64, logger: Logger) {
        let connection = connection
        // The commit count the log was last copied up to, if it all was.
        let copiedUpTo = Mutex<UInt64?>(nil)
        let task = group.next().scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { _ in
            let committed = commits()
            guard copiedUpTo.withLock({ $0 }) != committed else { return }
            do {
                var complete = false
                // (busy, log, checkpointed): all copied when the last two match.
                try connection.run("PRAGMA wal_checkpoint(PASSIVE)", binds: []) { row in
                    complete = row.values.count == 3 && row.values[1] == row.values[2]
                }
                copiedUpTo.withLock { $0 = complete ? committed : nil }
            } catch {
                // The log keeps growing until a checkpoint succeeds; no
                // data is at risk. Tried again next time.
                logger.warning("SQLite checkpoint failed", metadata: ["cause": "\(error)"])
            }
        }
        repeating.withLock { $0 = task }
    }

    /// Stops, closes its connection on its own thread, and ends the thread.
    /// Whatever is left in the log is copied when the last connection to
    /// the file closes (the writer's, after this).
    func stop() async {
        let task = repeating.withLock { task in
            defer { task = nil }
            return task
        }
        // These fail only if the loop is gone already, when there is
        // nothing left to wait for.
        let loop = group.next()
        if let task {
            let cancelled = loop.makePromise(of: Void.self)
            task.cancel(promise: cancelled)
            try? await cancelled.futureResult.get()
        }
        let connection = connection
        try? await loop.submit { connection.close() }.get()
        try? await group.shutdownGracefully()
    }
}
