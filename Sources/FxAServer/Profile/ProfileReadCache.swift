import FxACore
import FxAStore
import Foundation
import Synchronization

/// Recently verified access tokens with their profile and rendered
/// document, so an RP that polls `/v1/profile` (the ETag path) costs no
/// database read.
///
/// Never stale for changes made by this process: an entry remembers the
/// store's ``StoreDatabase/changeGeneration`` from before its read and is
/// used only while that count is unchanged (any destroyed token, deleted
/// account, new password or profile change here drops every entry).
/// Changes made by another process (a second instance on PostgreSQL, the
/// `fxa-server account` CLI) are seen once an entry is `lifetime` old; the
/// operator chooses that bound (`FXA_PROFILE_CACHE_SECONDS`, 0 = no cache).
/// Expiry of the token itself is checked on every use.
final class ProfileReadCache: Sendable {
    struct Entry: Sendable {
        let found: TokenProfile
        /// Per token: its scopes fix which fields the document holds.
        let document: ProfileDocument
        let generation: UInt64
        let storedAt: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[TokenHash: Entry]>([:])

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    var isEnabled: Bool { lifetime > 0 }

    /// The entry for `tokenHash` if it is still trustworthy at `now` with the
    /// store at `generation`.
    func entry(_ tokenHash: TokenHash, generation: UInt64, now: Date) -> Entry? {
        guard isEnabled else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.generation == generation, now.timeIntervalSince(entry.storedAt) < lifetime,
                  now >= entry.storedAt
            else {
                entries[tokenHash] = nil
                return nil
            }
            return entry
        }
    }

    /// Keeps `entry`. At capacity everything is dropped first: simpler than
    /// an LRU, and an entry is cheap to rebuild.
    func store(_ tokenHash: TokenHash, _ entry: Entry) {
        guard isEnabled else { return }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = entry
        }
    }
}
