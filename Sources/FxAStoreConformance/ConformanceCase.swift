import FxAStore

/// One behaviour every store backend must have, runnable against any
/// ``Stores`` value. The test targets of each backend run every case in
/// ``StoreConformance/cases`` (as dex's `storage/conformance` does), so a
/// store bug is found once for SQLite and PostgreSQL alike.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// Names the behaviour, e.g. "signing keys: rotation keeps the old key published".
    public let name: String
    /// Runs the case on freshly migrated, empty stores; throws
    /// ``ConformanceFailure`` when the behaviour is wrong.
    public let run: @Sendable (Stores) async throws -> Void

    public init(_ name: String, run: @escaping @Sendable (Stores) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var description: String { name }
}

/// A conformance expectation that did not hold.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Fails the running case with `message` unless `condition` holds.
func require(
    _ condition: @autoclosure () throws -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) throws {
    guard try condition() else {
        throw ConformanceFailure(description: "\(file):\(line): \(message())")
    }
}

/// Fails unless the two values are equal, showing both.
func requireEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: String, file: StaticString = #fileID, line: UInt = #line
) throws {
    try require(actual == expected, "\(what): expected \(expected), got \(actual)", file: file, line: line)
}
