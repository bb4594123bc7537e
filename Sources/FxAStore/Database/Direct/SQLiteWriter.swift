import NIOCore
import NIOPosix

/// SQLite's one writer connection and the thread that uses it.
///
/// The group commit runs each batch as a task that prefers this thread
/// (``executor``): the batch's callers' transaction bodies, which are
/// plain async functions, run here too, so every statement of a batch, the
/// COMMIT and its fsync included, runs synchronously on this thread, one
/// after the other, without leaving it. Before, each statement crossed to
/// SQLiteNIO's thread pool and back through a busy event loop; that wait,
/// not SQLite, was most of a write's cost under load.
final class SQLiteWriter: Sendable {
    let connection: DirectSQLiteConnection
    /// Runs the batches: one thread of its own, never an event loop.
    let executor: ThreadTaskExecutor

    init(path: String, pragmas: [String]) throws {
        connection = try DirectSQLiteConnection(path: path, pragmas: pragmas)
        executor = ThreadTaskExecutor()
    }

    /// Closes the connection on its own thread, then stops the thread.
    /// Call after the group commit is closed (``SQLiteGroupCommit/close()``),
    /// so that no batch is left to run.
    func close() async {
        let connection = connection
        await Task(executorPreference: executor) { connection.close() }.value
        await executor.shutdown()
    }

    /// Whether the caller runs on the writer's thread (for tests).
    var isCurrentThread: Bool { executor.isCurrentThread }
}

/// A `TaskExecutor` that runs its jobs on one dedicated thread (a NIO event
/// loop that serves nothing else).
final class ThreadTaskExecutor: TaskExecutor {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let loop: any EventLoop

    init() {
        loop = group.next()
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrentThread: Bool { loop.inEventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Stops the thread.
    func shutdown() async {
        // Fails only if it was stopped already.
        try? await group.shutdownGracefully()
    }

    deinit {
        // Not stopped (an open that failed halfway): stop the thread anyway.
        group.shutdownGracefully { _ in }
    }
}
