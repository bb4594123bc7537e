import Synchronization

/// Read-only connections for the lookups every request makes, lent one
/// statement at a time. With WAL they read beside the writer and never
/// wait for its commits.
///
/// A statement holds its connection only while it runs synchronously on
/// the caller's thread, so the pool never holds more connections than
/// threads that read at once (the event loops, and on a static build the
/// cooperative pool); a connection is opened when none is free and kept.
final class SQLiteReaderPool: Sendable {
    private let path: String
    private let pragmas: [String]
    private let idle = Mutex<[DirectSQLiteConnection]>([])
    private let closed = Atomic<Bool>(false)

    init(path: String, busyTimeoutMilliseconds: Int) {
        self.path = path
        pragmas = [
            "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)",
            // A reader must never write, even by mistake.
            "PRAGMA query_only = 1",
        ]
    }

    /// Lends a connection to `body` and takes it back.
    func withConnection<T>(_ body: (DirectSQLiteConnection) throws -> T) throws -> T {
        guard !closed.load(ordering: .acquiring) else {
            throw FxAStoreError.unavailable("the database connections are closed")
        }
        let connection = try idle.withLock { $0.popLast() } ?? DirectSQLiteConnection(path: path, pragmas: pragmas)
        defer {
            // Under the lock that close() drains: a connection is either
            // put back before the drain or closed here, never left open.
            let keep = idle.withLock { idle in
                guard !closed.load(ordering: .acquiring) else { return false }
                idle.append(connection)
                return true
            }
            if !keep { connection.close() }
        }
        return try body(connection)
    }

    /// Closes every idle connection; one still lent is closed when it comes
    /// back.
    func close() {
        let connections = idle.withLock { idle in
            closed.store(true, ordering: .releasing)
            defer { idle = [] }
            return idle
        }
        for connection in connections { connection.close() }
    }
}
