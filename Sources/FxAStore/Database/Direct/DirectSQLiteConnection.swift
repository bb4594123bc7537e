import Foundation
import NIOCore
import SQLiteNIO
import VaporCSQLite

/// One SQLite connection driven through SQLite's C API on the calling
/// thread, with its statements prepared once and kept.
///
/// SQLiteNIO runs every statement on a thread pool and hands each row back
/// through the event loop: three thread hops per statement, and a fresh
/// `sqlite3_prepare` each time. On the one writer connection those hops
/// were the serial cost that capped the code flow (docs/benchmarks.md,
/// issue 22); a point lookup itself takes microseconds. So the writer and
/// the hot readers use this instead, while Fluent's connection still runs
/// the migrations.
///
/// Not safe for two threads at once: the statement cache is unguarded.
/// Its owners guarantee one user at a time (``SQLiteWriter`` runs all its
/// statements in one batch on one thread; ``SQLiteReaderPool`` lends a
/// connection to one caller until its statement is done).
final class DirectSQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]

    /// Prepared statements kept per connection. The store's statements are
    /// a fixed set (each call site's SQL, with `?` placeholders), so this
    /// is never reached in practice; past it the cache starts over rather
    /// than grow without bound.
    static let cachedStatementLimit = 512

    /// Opens `path` read-write (the file must exist: migrations made it)
    /// and applies `pragmas`, one statement each.
    init(path: String, pragmas: [String]) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "error \(opened)"
            sqlite_nio_sqlite3_close(handle)
            throw FxAStoreError.unavailable("cannot open the SQLite database \(path): \(message)")
        }
        self.handle = handle
        for pragma in pragmas {
            try run(pragma, binds: []) { _ in }
        }
    }

    deinit {
        close()
    }

    /// Finalizes every statement and closes the connection. Later calls
    /// fail with ``FxAStoreError/unavailable(_:)``.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements = [:]
        sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
    }

    /// Runs one statement to completion, handing each row to `onRow` as it
    /// is read.
    func run(_ sql: String, binds: [SQLiteData], onRow: (DirectSQLiteRow) throws -> Void) throws {
        guard let handle else { throw FxAStoreError.unavailable("the database connections are closed") }
        let statement = try prepared(sql, on: handle)
        defer { statement.reset() }
        try statement.bind(binds, on: handle)
        while true {
            let step = sqlite_nio_sqlite3_step(statement.pointer)
            switch step {
            case SQLITE_ROW:
                try onRow(statement.currentRow())
            case SQLITE_DONE:
                return
            default:
                throw Self.failure(step, on: handle)
            }
        }
    }

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> PreparedStatement {
        if let statement = statements[sql] { return statement }
        var pointer: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard result == SQLITE_OK, let pointer else {
            throw Self.failure(result, on: handle)
        }
        if statements.count >= Self.cachedStatementLimit {
            for statement in statements.values { statement.finalize() }
            statements = [:]
        }
        let statement = PreparedStatement(pointer: pointer)
        statements[sql] = statement
        return statement
    }

    /// SQLite's code and message for a failed call (the message names the
    /// constraint or the syntax error, never a bound value).
    static func failure(_ code: Int32, on handle: OpaquePointer) -> FxAStoreError {
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "error \(code)"
        return .sqlite(code: code, message: message)
    }
}

/// A prepared statement and its column names, read once and again only
/// when SQLite has prepared it anew.
private final class PreparedStatement {
    let pointer: OpaquePointer
    private(set) var columns: DirectSQLiteRow.Columns
    /// SQLite prepares a statement again, silently, when the schema changed
    /// under it (another process migrated the file): `SELECT *` and
    /// `RETURNING *` may then have other columns than the names read first.
    private var preparedTimes: Int32

    init(pointer: OpaquePointer) {
        self.pointer = pointer
        columns = Self.columns(of: pointer)
        preparedTimes = sqlite_nio_sqlite3_stmt_status(pointer, SQLITE_STMTSTATUS_REPREPARE, 0)
    }

    private static func columns(of pointer: OpaquePointer) -> DirectSQLiteRow.Columns {
        let count = sqlite_nio_sqlite3_column_count(pointer)
        let names = (0..<count).map { index in
            sqlite_nio_sqlite3_column_name(pointer, index).map { String(cString: $0) } ?? ""
        }
        return DirectSQLiteRow.Columns(names: names)
    }

    func bind(_ binds: [SQLiteData], on handle: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let integer):
                result = sqlite_nio_sqlite3_bind_int64(pointer, index, Int64(integer))
            case .float(let double):
                result = sqlite_nio_sqlite3_bind_double(pointer, index, double)
            case .text(let text):
                // withCString, not withUTF8: an empty string still has a
                // pointer, and SQLite reads a nil one as NULL.
                result = text.withCString { characters in
                    sqlite_nio_sqlite3_bind_text64(pointer, index, characters, UInt64(text.utf8.count), transientBytes, UInt8(SQLITE_UTF8))
                }
            case .blob(let buffer):
                result = buffer.withUnsafeReadableBytes { bytes in
                    // A zero-length blob, not NULL: SQLite reads a nil pointer as NULL.
                    sqlite_nio_sqlite3_bind_blob64(pointer, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), transientBytes)
                }
            case .null:
                result = sqlite_nio_sqlite3_bind_null(pointer, index)
            }
            guard result == SQLITE_OK else { throw DirectSQLiteConnection.failure(result, on: handle) }
        }
    }

    /// The row the last step stopped on.
    func currentRow() -> DirectSQLiteRow {
        let times = sqlite_nio_sqlite3_stmt_status(pointer, SQLITE_STMTSTATUS_REPREPARE, 0)
        if times != preparedTimes {
            preparedTimes = times
            columns = Self.columns(of: pointer)
        }
        var values: [SQLiteData] = []
        values.reserveCapacity(columns.names.count)
        for index in 0..<Int32(columns.names.count) {
            values.append(value(at: index))
        }
        return DirectSQLiteRow(columns: columns, values: values)
    }

    private func value(at index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(pointer, index) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(pointer, index)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(pointer, index))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(pointer, index))
            guard let text = sqlite_nio_sqlite3_column_text(pointer, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(pointer, index))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(pointer, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    /// Ready for the next use: rows discarded, values unbound (so a large
    /// blob is not kept alive by the cache).
    func reset() {
        sqlite_nio_sqlite3_reset(pointer)
        sqlite_nio_sqlite3_clear_bindings(pointer)
    }

    func finalize() {
        sqlite_nio_sqlite3_finalize(pointer)
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies a bound value before the call returns,
/// so the Swift buffer it came from may go away.
private let transientBytes = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
