import FxACore
import Foundation

/// Persistence of backup authentication codes (FxA's "recovery codes"):
/// only their SHA-256, each usable once. A set is replaced whole, never
/// added to, so the user's printed list is always the whole truth.
public protocol RecoveryCodeStore: Sendable {
    /// Replaces the account's codes with these.
    func replace(uid: AccountUID, with hashes: [TokenHash]) async throws
    /// Spends the code with this hash: the number left, or `nil` (nothing
    /// spent) when the account has no such code. One statement, so a code
    /// cannot be spent twice by two requests at once.
    func consume(uid: AccountUID, hash: TokenHash) async throws -> Int?
    /// How many unused codes the account has.
    func count(uid: AccountUID) async throws -> Int
    /// Deletes all of the account's codes (two-step authentication off).
    func deleteAll(uid: AccountUID) async throws
}
