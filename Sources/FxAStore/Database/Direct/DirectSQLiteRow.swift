import SQLKit
import VaporCSQLite
import SQLiteKit
import SQLiteNIO

/// A row read by ``DirectSQLiteConnection``, decoded the way SQLiteKit
/// decodes its own rows (``SQLiteDataDecoder``), so a ``TableRow`` reads
/// the same from either.
struct DirectSQLiteRow: SQLRow {
    /// A statement's column names and where each is, shared by its rows.
    final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]

        init(names: [String]) {
            self.names = names
            // The first of two equal names wins, as in SQLiteNIO.
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    private static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool {
        columns.offsets[column] != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let offset = columns.offsets[column] else { return true }
        return values[offset] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let offset = columns.offsets[column] else {
            throw FxAStoreError.sqlite(code: SQLITE_ERROR, message: "no column \(column) in the result")
        }
        return try Self.decoder.decode(D.self, from: values[offset])
    }
}
