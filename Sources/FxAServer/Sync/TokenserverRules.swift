import FxACore
import FxAStore

/// What a token request asserts about the account's keys: the generation
/// from the account (when its password was last set), and the keys'
/// change time and fingerprint from the client's `X-KeyID`. Zero means
/// "not known" for both numbers, as in the tokenserver.
struct SyncTokenClaim: Sendable, Equatable {
    var generation: Int64?
    var keysChangedAt: Int64?
    var clientState: String

    init(generation: Int64?, keysChangedAt: Int64?, clientState: String) {
        self.generation = generation == 0 ? nil : generation
        self.keysChangedAt = keysChangedAt == 0 ? nil : keysChangedAt
        self.clientState = clientState
    }
}

/// Why the tokenserver refuses a token (401 with this `status`): the
/// client's view of the account's keys is older than one it showed before,
/// so storage it could read must not be handed out. Firefox answers
/// `invalid-client-state` by asking the user to sign in again, which
/// fetches the current keys.
enum TokenserverRefusal: Error, Equatable {
    case invalidGeneration
    case invalidKeysChangedAt
    case invalidClientState(String)

    /// The tokenserver's `status` value.
    var status: TokenserverStatus {
        switch self {
        case .invalidGeneration: .invalidGeneration
        case .invalidKeysChangedAt: .invalidKeysChangedAt
        case .invalidClientState: .invalidClientState
        }
    }
}

/// The tokenserver's rules for an account's Sync users (syncstorage-rs's
/// `TokenserverRequest::validate` and `update_user`, whose order matters):
/// nothing may move backwards, and new keys mean a new user, so new keys
/// start on empty storage while a client still holding the old keys is
/// refused instead of being handed data it would fail to decrypt.
enum TokenserverRules {
    /// What to do with `users` (newest first) for `claim`.
    static func decide(_ claim: SyncTokenClaim, users: [SyncUserRecord]) throws(TokenserverRefusal) -> SyncUserDecision {
        // The one not replaced (the store keeps at most one); else the
        // newest by generation, then creation, then id, whatever the order.
        let current = users.first { $0.replacedAt == nil }
            ?? users.max { ($0.generation, $0.createdAt, $0.id) < ($1.generation, $1.createdAt, $1.id) }
        guard let current else {
            return .create(generation: claim.generation ?? 0, keysChangedAt: claim.keysChangedAt, clientState: claim.clientState)
        }
        let oldStates = Set(users.filter { $0.id != current.id && $0.clientState != current.clientState }.map(\.clientState))
        let stateChanged = claim.clientState != current.clientState
        // Comparisons with an unknown value do not hold, as in the tokenserver.
        func greater(_ a: Int64?, _ b: Int64?) -> Bool { a.flatMap { a in b.map { a > $0 } } ?? false }
        func notGreater(_ a: Int64?, _ b: Int64?) -> Bool { a.flatMap { a in b.map { a <= $0 } } ?? false }

        if greater(claim.keysChangedAt, current.keysChangedAt), greater(claim.keysChangedAt, claim.generation) {
            throw .invalidKeysChangedAt
        }
        if !current.clientState.isEmpty, claim.clientState.isEmpty {
            throw .invalidClientState("Unacceptable client-state value empty string")
        }
        if oldStates.contains(claim.clientState) {
            throw .invalidClientState("Unacceptable client-state value stale value")
        }
        if stateChanged, notGreater(claim.generation, current.generation) {
            throw .invalidClientState("Unacceptable client-state value new value with no generation change")
        }
        if stateChanged, notGreater(claim.keysChangedAt, current.keysChangedAt) {
            throw .invalidClientState("Unacceptable client-state value new value with no keys_changed_at change")
        }
        if greater(current.generation, claim.generation) { throw .invalidGeneration }
        if greater(current.keysChangedAt, claim.keysChangedAt) { throw .invalidKeysChangedAt }
        if claim.keysChangedAt == nil, let known = current.keysChangedAt, known != 0 { throw .invalidKeysChangedAt }

        let keysChangedAt = claim.keysChangedAt ?? current.keysChangedAt
        let generation: Int64
        if let claimed = claim.generation {
            generation = claimed
        } else if let changed = claim.keysChangedAt, current.keysChangedAt.map({ changed > $0 }) ?? true,
                  changed > current.generation {
            generation = changed
        } else {
            generation = current.generation
        }
        if stateChanged {
            return .create(generation: generation, keysChangedAt: keysChangedAt, clientState: claim.clientState)
        }
        if generation != current.generation || keysChangedAt != current.keysChangedAt {
            return .update(id: current.id, generation: generation, keysChangedAt: keysChangedAt)
        }
        return .use(current)
    }
}
