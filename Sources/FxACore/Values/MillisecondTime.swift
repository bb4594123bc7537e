import Foundation

extension Date {
    /// Whole milliseconds since 1970, rounded down: how FxA's APIs send
    /// times (`lastAccessTime`, `created_time`, introspection's `iat`).
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }
}
