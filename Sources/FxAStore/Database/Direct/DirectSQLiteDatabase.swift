import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit's view of SQLite through ``DirectSQLiteConnection``: each
/// statement runs to completion on the calling thread, with no thread hop
/// and no new `sqlite3_prepare`.
///
/// Running on the caller's thread is the point, and the trade: the writer
/// calls it from its own thread (``SQLiteWriter``), so a COMMIT's fsync
/// never blocks an event loop; the readers call it from the request's
/// thread, which is right for what they serve (lookups by primary or unique
/// key, a few pages from the page cache, microseconds) and would be wrong
/// for a scan. Scans and anything that writes use the writer.
struct DirectSQLiteDatabase: SQLDatabase {
    /// Where a statement gets its connection.
    enum Source: Sendable {
        /// Always this one: the writer, whose callers are serialized by the
        /// group commit.
        case connection(DirectSQLiteConnection)
        /// One lent for the statement's duration.
        case readers(SQLiteReaderPool)
    }

    let source: Source
    let logger: Logger
    let eventLoop: any EventLoop
    let version: (any SQLDatabaseReportedVersion)?

    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    private static let encoder = SQLiteDataEncoder()

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.submit { try self.run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        logger.trace("\(sql)")
        let values = try binds.map { try Self.encoder.encode($0) }
        switch source {
        case .connection(let connection):
            try connection.run(sql, binds: values, onRow: onRow)
        case .readers(let pool):
            try pool.withConnection { connection in
                try connection.run(sql, binds: values, onRow: onRow)
            }
        }
    }
}
