import Foundation

/// How wrong authenticator-app codes lock an account's code checks.
///
/// Three codes are right at any moment (the window of one step either
/// side), so each guess wins with odds of 3 in a million. Customs' limit on
/// code attempts lives in one process and forgets on restart; this count
/// lives in the database beside the secret. Every 5 wrong codes in a row
/// lock the checks, for 15 minutes the first time and twice as long each
/// time after, up to a day: a guesser who has the password gets about five
/// tries a day once the lock has grown, a few in ten thousand a year,
/// while a user who mistypes loses a quarter of an hour and still has the
/// backup codes, which the lock does not touch. A good code clears the
/// count.
struct TOTPLockout: Sendable {
    /// Wrong codes in a row that lock the checks.
    static let failuresPerLock = 5
    /// The first lock; each one after it is twice as long.
    static let firstLock: TimeInterval = 15 * 60
    /// The longest lock.
    static let longestLock: TimeInterval = 24 * 3600

    /// When each lock would end if it began at `now`: the first, the
    /// second, …, the longest (which every later one repeats); what the
    /// store picks from by the count it reaches.
    static func lockEnds(from now: Date) -> [Date] {
        var ends: [Date] = []
        var lock = 1
        while let duration = lockDuration(afterFailures: lock * failuresPerLock), duration < longestLock {
            ends.append(now.addingTimeInterval(duration))
            lock += 1
        }
        return ends + [now.addingTimeInterval(longestLock)]
    }

    /// How long to lock after `failures` wrong codes in a row; `nil` when
    /// that count does not lock.
    static func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        guard failures > 0, failures % failuresPerLock == 0 else { return nil }
        let doublings = min(failures / failuresPerLock - 1, 16)
        return min(firstLock * Double(1 << doublings), longestLock)
    }
}
