import SQLKit
import Synchronization

/// A row property's column: the camelCase name in snake case, an
/// abbreviation counting as one word (`parentIDHash` is `parent_id_hash`,
/// `authSaltV2` is `auth_salt_v2`). SQLKit's own conversion lowercases only
/// the first letter of each word (`client_iD`), which SQLite forgives and
/// PostgreSQL does not.
enum ColumnName {
    /// Converted names, since every row read converts every key again.
    private static let cache = Mutex<[String: String]>([:])

    /// The column of the last key of `path` (rows are flat).
    static func key(for path: [any CodingKey]) -> any CodingKey {
        SQLColumnKey(column(for: path.last?.stringValue ?? ""))
    }

    /// The column named by property `name`.
    static func column(for name: String) -> String {
        if let known = cache.withLock({ $0[name] }) { return known }
        let converted = snakeCase(name)
        cache.withLock { $0[name] = converted }
        return converted
    }

    /// Splits before an uppercase letter that follows a lowercase letter or
    /// a digit, and before the last capital of a run followed by a
    /// lowercase letter (`URLPath` is `url_path`).
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    result.append("_")
                }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}

/// A coding key that is just a column name.
private struct SQLColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
