import Logging
import NIOCore
import SQLKit

/// What a server uses of an SQLite file once it is migrated: the writer,
/// behind the group commit, and the readers.
final class SQLiteConnections: Sendable {
    let writer: SQLiteWriter
    let readers: SQLiteReaderPool
    let groupCommit: SQLiteGroupCommit
    let checkpointer: SQLiteCheckpointer
    /// The writer as SQL, for the group commit's batches and for PRAGMAs.
    let writerSQL: DirectSQLiteDatabase
    /// The readers as SQL: each statement on a lent connection.
    let readerSQL: DirectSQLiteDatabase

    init(
        path: String, durability: SQLiteDurability, busyTimeoutMilliseconds: Int,
        version: (any SQLDatabaseReportedVersion)?, logger: Logger, eventLoop: any EventLoop
    ) throws {
        writer = try SQLiteWriter(path: path, pragmas: [
            // Another process (`fxa-server account …` next to the server)
            // may hold the write lock for a moment.
            "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)",
            "PRAGMA synchronous = \(durability.rawValue.uppercased())",
            // The checkpointer copies the log into the file, off this thread.
            "PRAGMA wal_autocheckpoint = 0",
        ])
        readers = SQLiteReaderPool(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        writerSQL = DirectSQLiteDatabase(source: .connection(writer.connection), logger: logger, eventLoop: eventLoop, version: version)
        readerSQL = DirectSQLiteDatabase(source: .readers(readers), logger: logger, eventLoop: eventLoop, version: version)
        groupCommit = SQLiteGroupCommit(sql: writerSQL, executor: writer.executor)
        checkpointer = try SQLiteCheckpointer(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        let groupCommit = groupCommit
        checkpointer.start(commits: { groupCommit.counts.commits }, logger: logger)
    }

    /// Closes every connection and stops the writer's thread.
    func close() async {
        await groupCommit.close()
        await checkpointer.stop()
        readers.close()
        await writer.close()
    }
}
