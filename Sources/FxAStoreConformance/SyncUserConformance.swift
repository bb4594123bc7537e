import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// A decision like the tokenserver's for a client that keeps its keys:
    /// the current user if there is one with `clientState`, else a new one.
    static func sameKeysOrNew(_ clientState: String, generation: Int64 = 1) -> @Sendable ([SyncUserRecord]) -> SyncUserDecision {
        { users in
            if let current = users.first(where: { $0.replacedAt == nil }), current.clientState == clientState {
                return .use(current)
            }
            return .create(generation: generation, keysChangedAt: 1_700_000_000_000, clientState: clientState)
        }
    }

    /// ``SyncUserStore``.
    static let syncUserCases: [ConformanceCase] = [
        ConformanceCase("sync users: the first token creates a user, the same keys reuse it, an update moves it forward") { stores in
            let account = sampleAccount("sync-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let at = Date(timeIntervalSince1970: 1_700_000_000)
            let first = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at, decide: sameKeysOrNew("aa"))
            try requireEqual(first.uid, account.uid, "its account")
            try requireEqual(first.clientState, "aa", "client state")
            try requireEqual(first.keysChangedAt, 1_700_000_000_000, "keys changed at")
            try requireEqual(first.replacedAt, nil, "current")
            let again = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at + 1, decide: sameKeysOrNew("aa"))
            try requireEqual(again.id, first.id, "the same keys, the same storage")
            let moved = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at + 2) { _ in
                .update(id: first.id, generation: 5, keysChangedAt: 1_700_000_000_500)
            }
            try requireEqual(moved.id, first.id, "updated in place")
            try requireEqual(moved.generation, 5, "generation")
            try requireEqual(moved.keysChangedAt, 1_700_000_000_500, "keys changed at")
            try requireEqual(try await stores.syncUsers.syncUsers(uid: account.uid).count, 1, "one user")
        },
        ConformanceCase("sync users: new keys make a new user and replace the old; a refusal writes nothing") { stores in
            let account = sampleAccount("sync-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let at = Date(timeIntervalSince1970: 1_700_000_000)
            let old = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at, decide: sameKeysOrNew("aa"))
            let new = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at + 10, decide: sameKeysOrNew("bb", generation: 2))
            try require(new.id != old.id, "a new Sync uid, so empty storage")
            let users = try await stores.syncUsers.syncUsers(uid: account.uid)
            try requireEqual(users.map(\.id), [new.id, old.id], "newest first")
            try requireEqual(users[1].replacedAt, at + 10, "the old one replaced when the new one came")
            try requireEqual(users[0].replacedAt, nil, "the new one current")

            struct Refused: Error {}
            do {
                _ = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at + 20) { _ in throw Refused() }
                try require(false, "a refusal went through")
            } catch is Refused {}
            try requireEqual(try await stores.syncUsers.syncUsers(uid: account.uid), users, "nothing written")

            // Whatever a caller decides, a replaced user is not updated.
            do {
                _ = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: at + 30) { _ in
                    .update(id: old.id, generation: 9, keysChangedAt: 1_800_000_000_000)
                }
                try require(false, "a replaced user was updated")
            } catch FxAStoreError.conflict {}
            try requireEqual(try await stores.syncUsers.syncUsers(uid: account.uid), users, "still nothing written")
        },
        ConformanceCase("sync users: devices asking at once for a new account's first token get one user") { stores in
            let account = sampleAccount("sync-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await stores.syncUsers.assignSyncUser(
                            uid: account.uid, at: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                            decide: sameKeysOrNew("aa")).id
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            try requireEqual(ids.count, 1, "one Sync uid for all")
            try requireEqual(try await stores.syncUsers.syncUsers(uid: account.uid).count, 1, "one row")
        },
        ConformanceCase("sync users: none for an unknown account; deleting the account deletes them") { stores in
            do {
                _ = try await stores.syncUsers.assignSyncUser(uid: .random(), at: Date(), decide: sameKeysOrNew("aa"))
                try require(false, "a user for an account that does not exist")
            } catch FxAStoreError.notFound {}
            let account = sampleAccount("sync-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            _ = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: Date(), decide: sameKeysOrNew("aa"))
            try await stores.accounts.delete(uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.syncUsers.syncUsers(uid: account.uid), [], "gone with the account")
        },
    ]
}
