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
    /// The account whose primary address, or one of whose *verified*
    /// secondary addresses, this is: how FxA finds the account for flows
    /// that name it by an address the user proved (deletion, password change).
    func account(anyVerifiedEmail normalizedEmail: String) async throws -> AccountRecord?

    /// Accounts in order of normalised email, `limit` at a time, starting
    /// after `afterEmail` (keyset paging, stable under inserts), for the
    /// operator's `account list`.
    func accounts(afterEmail: String?, limit: Int) async throws -> [AccountRecord]

    /// Marks the primary email verified; returns `false` for an unknown uid.
    @discardableResult
    func markEmailVerified(uid: AccountUID) async throws -> Bool

    /// Replaces the password credentials (and kA on a reset: then kB is new
    /// too and `keysChangedAt` becomes `date`), deletes every session token
    /// of the account and the OAuth tokens and codes that `replacement`
    /// names (see ``CredentialReplacement``), and records `event`,
    /// atomically: after a crash either the old password works with all its
    /// tokens, or the new one works with none of the ones it ends.
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown uid, or for a
    ///   recovered reset whose key is no longer the account's (then nothing
    ///   changed).
    func replaceCredentials(
        uid: AccountUID, v1: AccountRecord.Credentials, v2: AccountRecord.CredentialsV2?, _ replacement: CredentialReplacement,
        at date: Date, recording event: OutboxEvent
    ) async throws

    /// The account's subscription capabilities (what an operator granted;
    /// swift-fxa has no payments), sorted; empty for an unknown uid.
    func capabilities(uid: AccountUID) async throws -> [String]

    /// Replaces the capabilities and records the events that `events`
    /// makes from the list being replaced (sorted), atomically: the list is
    /// read inside the write's transaction (locked on PostgreSQL), so two
    /// concurrent changes cannot both report the same capability as granted
    /// or withdrawn. Returns that previous list.
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown uid.
    @discardableResult
    func setCapabilities(
        _ capabilities: [String], uid: AccountUID, recording events: @escaping @Sendable (_ previous: [String]) -> [OutboxEvent]
    ) async throws -> [String]

    /// Deletes the account with its session tokens, web sessions,
    /// verification codes, OAuth codes and tokens and avatar, and records
    /// `event`, atomically:
    /// nothing issued to a deleted account keeps working. OAuth clients it
    /// registered in the console stay (other accounts use them) without an
    /// owner.
    func delete(uid: AccountUID, recording event: OutboxEvent) async throws
}
