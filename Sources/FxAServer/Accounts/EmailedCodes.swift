import Crypto
import FxACore
import FxAStore
import Foundation

/// The life of an emailed code: stored as its SHA-256 with an expiry,
/// compared in constant time, single-use, and burnt after
/// `maxAttempts` wrong guesses so it cannot be brute-forced even below the
/// rate limit. Every flow that emails a code goes through here.
struct EmailedCodes: Sendable {
    let codes: any CodeStore
    let clock: any WallClock
    let maxAttempts: Int

    /// Stores `code` for the account and purpose, replacing an earlier one.
    func store(_ code: Data, uid: AccountUID, purpose: VerificationPurpose, lifetime: TimeInterval) async throws {
        try await codes.put(StoredCode(
            uid: uid, purpose: purpose, codeHash: TokenHash(of: code),
            expiresAt: clock.now().addingTimeInterval(lifetime)))
    }

    /// Redeems `presented`, or throws `rejection` when it is wrong, expired
    /// or burnt (the three are indistinguishable to the client).
    func redeem(
        _ presented: Data, uid: AccountUID, purpose: VerificationPurpose, rejection: @autoclosure () -> FxAError
    ) async throws {
        // The attempt is counted before the code is compared, in one
        // statement, so guesses sent at once cannot pass the limit.
        guard let stored = try await codes.reserveAttempt(uid: uid, purpose: purpose, limit: maxAttempts, now: clock.now())
        else { throw rejection() }
        guard TokenHash(of: presented).bytes.constantTimeEquals(stored.codeHash.bytes) else {
            if stored.failedAttempts >= maxAttempts {
                try await codes.delete(uid: uid, purpose: purpose)
            }
            throw rejection()
        }
        // Spent only by the request that deletes it: two at once with the
        // right code, and one of them is refused.
        guard try await codes.consume(uid: uid, purpose: purpose, codeHash: stored.codeHash) else { throw rejection() }
    }

    /// What is left of the live code for the account and purpose: its
    /// seconds and its wrong guesses (none of either when there is none).
    func remaining(uid: AccountUID, purpose: VerificationPurpose) async throws -> (seconds: TimeInterval, guesses: Int) {
        guard let stored = try await codes.code(uid: uid, purpose: purpose) else { return (0, 0) }
        return (max(0, stored.expiresAt.timeIntervalSince(clock.now())).rounded(.down), max(0, maxAttempts - stored.failedAttempts))
    }

    /// A decimal code of `digits` digits, uniformly drawn.
    static func decimal(digits: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var upper = 1
        for _ in 0..<digits { upper *= 10 }
        let value = Int.random(in: 0..<upper, using: &generator)
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }
}
