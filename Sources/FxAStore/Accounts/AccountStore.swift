import FxACore
import Foundation

/// Persistence of accounts. Every mutation that other systems must hear
/// about takes the ``OutboxEvent`` to record in the same transaction, so a
/// crash can never keep the change and lose the event (or the reverse).
public protocol AccountStore: Sendable {
    /// Stores a new account.
    ///
    /// - Throws: ``FxAStoreError/conflict`` when the normalised email is taken.
    func create(_ account: AccountRecord) async throws

    func account(uid: AccountUID) async throws -> AccountRecord?
    func account(normalizedEmail: String) async throws -> AccountRecord?

    /// Marks the primary email verified; returns `false` for an unknown uid.
    @discardableResult
    func markEmailVerified(uid: AccountUID) async throws -> Bool

    /// Deletes the account with its tokens and codes, and records `event`,
    /// atomically.
    func delete(uid: AccountUID, recording event: OutboxEvent) async throws
}
