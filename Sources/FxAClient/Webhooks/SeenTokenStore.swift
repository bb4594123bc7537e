import Foundation
import NIOConcurrencyHelpers

/// Remembers the `jti` of every Security Event Token accepted, so that a
/// replayed token is refused. FxA retries a delivery with the same `jti`
/// until it gets a 2xx, so a store that forgets too early would let a
/// captured token be replayed; one that never forgets grows forever. Keep
/// each id at least as long as ``SecurityEventVerifier`` accepts its token
/// (`maximumAge` plus the clock skew).
///
/// An app with several instances must share the store (a database table
/// with a unique key on `jti`); the in-memory one is for one process.
public protocol SeenTokenStore: Sendable {
    /// Records `jti`; returns false when it was already recorded (a replay).
    /// Must be atomic: two concurrent calls with one `jti` cannot both win.
    func insertIfAbsent(_ jti: String, expiresAt: Date) async throws -> Bool
    /// Forgets `jti` (its events could not be handled; the retry must pass).
    func remove(_ jti: String) async throws
}

/// A ``SeenTokenStore`` in memory, pruning expired ids as it goes.
public final class InMemorySeenTokenStore: SeenTokenStore {
    private let seen = NIOLockedValueBox<[String: Date]>([:])
    private let clock: @Sendable () -> Date

    /// `clock` is injectable for tests.
    public init(clock: @escaping @Sendable () -> Date = Date.init) {
        self.clock = clock
    }

    public func insertIfAbsent(_ jti: String, expiresAt: Date) async throws -> Bool {
        let now = clock()
        return seen.withLockedValue { seen in
            if seen.count > 1024 { seen = seen.filter { $0.value > now } }
            if let until = seen[jti], until > now { return false }
            seen[jti] = expiresAt
            return true
        }
    }

    public func remove(_ jti: String) async throws {
        _ = seen.withLockedValue { $0.removeValue(forKey: jti) }
    }
}
