import Foundation

/// Where the store keeps its data.
///
/// SQLite is the default so that `swift run fxa-server` needs no other
/// service; PostgreSQL is for several instances behind a load balancer.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite file (WAL mode), created with its folder if missing.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database, for tests.
    case sqliteInMemory
    /// A PostgreSQL server, as a `postgres://` or `postgres+uds://` URL.
    /// `searchPath` confines every table to one schema (used by the
    /// conformance tests to give each case a clean database).
    case postgres(url: String, searchPath: String? = nil)

    /// Parses `--database-url`: `postgres://`, `postgresql://`, `postgres+uds://`,
    /// `sqlite:///absolute/path`, `sqlite://relative/path` or `sqlite::memory:`.
    ///
    /// - Throws: ``FxAStoreError/invalidDatabaseURL`` for any other scheme.
    public init(url: String) throws {
        if url == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw FxAStoreError.invalidDatabaseURL }
            self = .sqliteFile(path: path)
        } else if let scheme = url.split(separator: ":", maxSplits: 1).first,
                  ["postgres", "postgresql", "postgres+tcp", "postgresql+tcp", "postgres+uds", "postgresql+uds"]
                    .contains(scheme.lowercased()) {
            self = .postgres(url: url)
        } else {
            throw FxAStoreError.invalidDatabaseURL
        }
    }

    /// Whether this is PostgreSQL (several processes may write at once)
    /// rather than SQLite (one writer).
    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// A description safe to log: the kind and where, never a password.
    public var redactedDescription: String {
        switch self {
        case .sqliteFile(let path): return "sqlite file \(path)"
        case .sqliteInMemory: return "sqlite in memory"
        case .postgres(let url, let searchPath):
            guard var components = URLComponents(string: url) else { return "postgres (unparseable url)" }
            if components.password != nil { components.password = "redacted" }
            components.query = nil
            let schema = searchPath.map { " schema \($0)" } ?? ""
            return "postgres \(components.string ?? "")\(schema)"
        }
    }

    /// Whether several server processes may share this database.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }
}
