import SQLKit

/// One row of one table exactly as the database holds it: a stored property
/// per column, named as the column in camelCase (``ColumnName``:
/// `parentIDHash` is `parent_id_hash`), with the column's own Swift type
/// (hex strings, raw values, `Data`, `Date`).
///
/// Each table has exactly one such type, and every read and write of the
/// table goes through it (``insertStatement()``, ``SQLDatabase/insert(_:)``,
/// ``SQLDatabase/selectRows(_:)``, ``SQLDatabase/row(_:where:is:)``,
/// ``SQLQueryFetcher/rows(_:)``), so a column is named in one place: adding
/// one is an edit to the row type plus a migration. Turning a row into the
/// typed value the rest of the server sees (``AccountUID``, scope sets,
/// enums) is the row type's `record` and `init(_:)`, next to it.
protocol TableRow: Codable, Sendable {
    /// The table's name.
    static var table: String { get }
}

/// The one mapping between property and column names, for both directions.
/// A `nil` property is left out of an `INSERT`, so the column takes its
/// default: `NULL`, or the next value of an identity column.
private let columnEncoding = SQLQueryEncoder(keyEncodingStrategy: .custom { ColumnName.key(for: $0) })
private let columnDecoding = SQLRowDecoder(keyDecodingStrategy: .custom { ColumnName.key(for: $0) })

extension TableRow {
    /// `INSERT INTO table (columns) VALUES (values)` for every property
    /// that has a value, as a raw statement a caller may extend
    /// (`RETURNING`, `ON CONFLICT`). Raw rather than SQLKit's insert
    /// builder: serializing a builder's expression tree cost as much as the
    /// rest of a token lookup (perf, bench/compare), and inserts and the
    /// lookups below are on every sign-in and code exchange.
    func insertStatement() throws -> SQLQueryString {
        let columns = try columnEncoding.encode(self)
        var statement = SQLQueryString("INSERT INTO \(unsafeRaw: Self.table) (")
        statement.appendInterpolation(unsafeRaw: columns.map(\.0).joined(separator: ", "))
        statement.appendInterpolation(unsafeRaw: ") VALUES (")
        for (index, column) in columns.enumerated() {
            if index > 0 { statement.appendInterpolation(unsafeRaw: ", ") }
            statement.appendInterpolation(column.1)
        }
        statement.appendInterpolation(unsafeRaw: ")")
        return statement
    }
}

extension SQLDatabase {
    /// Inserts `row` (``TableRow/insertStatement()``).
    func insert<Row: TableRow>(_ row: Row) async throws {
        try await raw(row.insertStatement()).run()
    }

    /// Inserts `rows` in one statement (`VALUES (…), (…)`): on PostgreSQL
    /// every statement inside a transaction is a round trip that holds the
    /// connection, and an event fanned out to five webhooks wrote its
    /// deliveries in five. Rows whose `nil` properties differ (so their
    /// column lists differ) are inserted one by one instead.
    func insert<Row: TableRow>(_ rows: [Row]) async throws {
        guard rows.count > 1 else {
            if let row = rows.first { try await insert(row) }
            return
        }
        // Far below SQLite's 32,766 and PostgreSQL's 65,535 bound values.
        guard rows.count <= 500 else {
            for start in stride(from: 0, to: rows.count, by: 500) {
                try await insert(Array(rows[start..<min(start + 500, rows.count)]))
            }
            return
        }
        let encoded = try rows.map { try columnEncoding.encode($0) }
        let columns = encoded[0].map(\.0)
        guard encoded.allSatisfy({ $0.map(\.0) == columns }) else {
            for row in rows { try await insert(row) }
            return
        }
        var statement = SQLQueryString("INSERT INTO \(unsafeRaw: Row.table) (")
        statement.appendInterpolation(unsafeRaw: columns.joined(separator: ", "))
        statement.appendInterpolation(unsafeRaw: ") VALUES ")
        for (rowIndex, values) in encoded.enumerated() {
            statement.appendInterpolation(unsafeRaw: rowIndex == 0 ? "(" : ", (")
            for (index, column) in values.enumerated() {
                if index > 0 { statement.appendInterpolation(unsafeRaw: ", ") }
                statement.appendInterpolation(column.1)
            }
            statement.appendInterpolation(unsafeRaw: ")")
        }
        try await raw(statement).run()
    }

    /// The row whose `column` equals `value`, by a raw statement: the
    /// lookup by key that every request makes (its token, client, account).
    func row<Row: TableRow>(_: Row.Type, where column: String, is value: some Encodable & Sendable) async throws -> Row? {
        try await raw("SELECT * FROM \(unsafeRaw: Row.table) WHERE \(unsafeRaw: column) = \(bind: value)").row(Row.self)
    }

    /// `SELECT table.* FROM table`, to refine with `where`, joins and order
    /// and to fetch with ``SQLQueryFetcher/rows(_:)``.
    func selectRows<Row: TableRow>(_: Row.Type) -> SQLSelectBuilder {
        select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier(Row.table))).from(Row.table)
    }
}

extension SQLQueryFetcher {
    /// Every result row decoded as `Row`.
    func rows<Row: TableRow>(_: Row.Type) async throws -> [Row] {
        try await all(decoding: Row.self, with: columnDecoding)
    }

    /// The first result row decoded as `Row`, if any.
    func row<Row: TableRow>(_: Row.Type) async throws -> Row? {
        try await first(decoding: Row.self, with: columnDecoding)
    }
}

extension SQLRow {
    /// This result row decoded as `Row` (columns it does not name are ignored).
    func decode<Row: TableRow>(_: Row.Type) throws -> Row {
        try decode(model: Row.self, with: columnDecoding)
    }

    /// The columns named `<prefix><column>` decoded as `Columns`: a part of
    /// one table's row beside another's in a join.
    func decode<Columns: Decodable>(_: Columns.Type, prefix: String) throws -> Columns {
        try decode(model: Columns.self, with: SQLRowDecoder(prefix: prefix, keyDecodingStrategy: .custom { ColumnName.key(for: $0) }))
    }
}
