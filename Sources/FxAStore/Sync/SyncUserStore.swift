import FxACore
import Foundation

/// One tokenserver user: the Sync storage an account uses with one set of
/// keys. An account gets a new one, with a new ``id`` and so empty storage,
/// whenever its key fingerprint (client state) changes, because data
/// encrypted under the old keys can no longer be read; the old one is then
/// marked replaced.
public struct SyncUserRecord: Sendable, Equatable {
    /// The Sync uid: the `/1.5/{uid}` of its storage, in the token.
    public var id: Int64
    /// The account it belongs to.
    public var uid: AccountUID
    /// The account's generation (when its password was last set, in
    /// milliseconds) as last seen; it never moves backwards.
    public var generation: Int64
    /// When the account's keys last changed (milliseconds), as the client
    /// asserted it in `X-KeyID`; `nil` until a client sent one.
    public var keysChangedAt: Int64?
    /// The key fingerprint, lowercase hex.
    public var clientState: String
    /// When the tokenserver made it (this instance's clock).
    public var createdAt: Date
    /// When a newer user took over; `nil` for the current one.
    public var replacedAt: Date?

    /// A user as the store holds it.
    public init(id: Int64, uid: AccountUID, generation: Int64, keysChangedAt: Int64?, clientState: String,
                createdAt: Date, replacedAt: Date?) {
        self.id = id
        self.uid = uid
        self.generation = generation
        self.keysChangedAt = keysChangedAt
        self.clientState = clientState
        self.createdAt = createdAt
        self.replacedAt = replacedAt
    }
}

/// What the tokenserver decided after reading an account's users.
public enum SyncUserDecision: Sendable, Equatable {
    /// Serve this user as it is.
    case use(SyncUserRecord)
    /// Move this user's generation and keys-changed time forward.
    case update(id: Int64, generation: Int64, keysChangedAt: Int64?)
    /// A new user (new keys, or the account's first token); every current
    /// user of the account is marked replaced.
    case create(generation: Int64, keysChangedAt: Int64?, clientState: String)
}

/// The tokenserver's users (`sync_users`).
public protocol SyncUserStore: Sendable {
    /// The account's users, newest first.
    func syncUsers(uid: AccountUID) async throws -> [SyncUserRecord]

    /// Reads the account's users, asks `decide` what to do, and does it.
    /// A write is decided again inside one transaction that no other
    /// assignment for the same account interleaves with (PostgreSQL: the
    /// account's row is locked), so two devices asking at once cannot both
    /// create a user; `decide` may therefore run twice. Returns the user
    /// the token is for. `decide` throws to refuse the request; nothing is
    /// written then. ``FxAStoreError/notFound`` when the account is gone,
    /// ``FxAStoreError/conflict`` when an update would move a replaced
    /// user, or a user backwards.
    func assignSyncUser(
        uid: AccountUID, at date: Date, decide: @escaping @Sendable ([SyncUserRecord]) throws -> SyncUserDecision
    ) async throws -> SyncUserRecord
}
