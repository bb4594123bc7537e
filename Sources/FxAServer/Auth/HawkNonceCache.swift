import Foundation

/// Remembers the (token id, nonce) pairs of recent Hawk requests so a
/// captured request cannot be replayed within the timestamp window.
///
/// Entries older than the window are useless (such a request is refused
/// for its stale timestamp anyway) and are dropped; the cache is also
/// bounded in size so a flood of signed requests cannot grow it without end.
/// It is per process: behind a load balancer a replay could reach another
/// instance within the window (noted in docs/architecture.md).
actor HawkNonceCache {
    private let window: TimeInterval
    private let capacity: Int
    private var seen: [String: Date] = [:]
    private var order: [(key: String, at: Date)] = []
    private var head = 0

    init(window: TimeInterval = 60, capacity: Int = 100_000) {
        self.window = window
        self.capacity = capacity
    }

    /// Records the pair and returns `true`, or returns `false` when it was
    /// already seen within the window.
    func insertIfNew(tokenID: String, nonce: String, now: Date) -> Bool {
        evict(before: now.addingTimeInterval(-2 * window))
        let key = tokenID + ":" + nonce
        if seen[key] != nil { return false }
        seen[key] = now
        order.append((key, now))
        if seen.count > capacity, head < order.count {
            seen[order[head].key] = nil
            head += 1
        }
        return true
    }

    private func evict(before cutoff: Date) {
        while head < order.count, order[head].at < cutoff {
            if seen[order[head].key] == order[head].at { seen[order[head].key] = nil }
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
