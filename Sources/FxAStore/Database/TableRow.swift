import SQLKit

/// One row of one table exactly as the database holds it: a stored property
/// per column, named as the column in camelCase (`parentIDHash` is
/// `parent_id_hash`), with the column's own Swift type (hex strings, raw
/// values, `Data`, `Date`).
///
/// Each table has exactly one such type, and every read and write of the
/// table goes through it (``SQLDatabase/insert(_:)``, ``SQLDatabase/selectRows(_:)``,
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
/// For an `UPDATE` of a whole row, where `nil` must clear the column.
private let columnUpdating = SQLQueryEncoder(keyEncodingStrategy: .custom { ColumnName.key(for: $0) }, nilEncodingStrategy: .asNil)
private let columnDecoding = SQLRowDecoder(keyDecodingStrategy: .custom { ColumnName.key(for: $0) })

extension SQLDatabase {
    /// `INSERT` of every column of `row` that has a value.
    func insert<Row: TableRow>(_ row: Row) async throws {
        try await inserting(row).run()
    }

    /// The `INSERT` of ``insert(_:)``, for a caller that adds `RETURNING`
    /// (a value the database assigns) or `ON CONFLICT`.
    func inserting<Row: TableRow>(_ row: Row) throws -> SQLInsertBuilder {
        try insert(into: Row.table).model(row, with: columnEncoding)
    }

    /// `UPDATE table SET` every column to `row`'s value (`NULL` for a `nil`
    /// property), to restrict with `where`: the read-modify-write of a row.
    func update<Row: TableRow>(with row: Row) throws -> SQLUpdateBuilder {
        try update(Row.table).set(model: row, with: columnUpdating)
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
