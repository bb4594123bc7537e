import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// A new account with its current Sync user: the storage's owner.
    static func newSyncUser(_ stores: Stores, clientState: String = "aa") async throws -> (account: AccountRecord, user: Int64) {
        let account = sampleAccount("sync-storage-\(AccountUID.random().hex.prefix(8))@example.org")
        try await stores.accounts.create(account)
        let user = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: Date(), decide: sameKeysOrNew(clientState))
        return (account, user.id)
    }

    static let syncEpoch = Date(timeIntervalSince1970: 1_700_000_000.123)

    /// ``SyncStorageStore``.
    static let syncStorageCases: [ConformanceCase] = [
        ConformanceCase("sync storage: a write makes records and their collection; only given fields change; time only grows") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            try requireEqual(try await storage.storageModified(user: user), .zero, "nothing stored yet")
            try requireEqual(try await storage.collectionModified(user: user, collection: "bookmarks"), .zero, "no collection yet")

            let first = try await storage.write(
                [SyncBSOWrite(id: "a", payload: "p1", sortIndex: 5), SyncBSOWrite(id: "b", payload: "p22")],
                user: user, collection: "bookmarks", precondition: .none, at: syncEpoch)
            try requireEqual(first, SyncTimestamp(syncEpoch), "now, to 10 ms")
            try requireEqual(try await storage.collections(user: user), ["bookmarks": first], "info/collections")
            try requireEqual(try await storage.storageModified(user: user), first, "storage timestamp")
            try requireEqual(try await storage.record(user: user, collection: "bookmarks", id: "a", at: syncEpoch),
                             SyncBSO(id: "a", modified: first, payload: "p1", sortIndex: 5), "record a")

            // The clock stalls: the next write is still later.
            let second = try await storage.write(
                [SyncBSOWrite(id: "a", sortIndex: 7)], user: user, collection: "bookmarks", precondition: .none, at: syncEpoch)
            try requireEqual(second.milliseconds, first.milliseconds + 10, "10 ms after the last")
            try requireEqual(try await storage.record(user: user, collection: "bookmarks", id: "a", at: syncEpoch),
                             SyncBSO(id: "a", modified: second, payload: "p1", sortIndex: 7), "payload kept, sort index moved")
            // The clock steps back; a TTL alone does not make b "modified".
            let third = try await storage.write(
                [SyncBSOWrite(id: "b", ttl: 3600)], user: user, collection: "bookmarks", precondition: .none,
                at: syncEpoch - 60)
            try require(third > second, "after every earlier write, whatever the clock says")
            try requireEqual(try await storage.record(user: user, collection: "bookmarks", id: "b", at: syncEpoch)?.modified,
                             first, "b unchanged")
            try requireEqual(try await storage.collectionModified(user: user, collection: "bookmarks"), third, "collection moved")
            try requireEqual(try await storage.collectionCounts(user: user, at: syncEpoch), ["bookmarks": 2], "counts")
            try requireEqual(try await storage.collectionBytes(user: user, at: syncEpoch), ["bookmarks": 5], "payload bytes")
            // A record with nothing but its id is made with the defaults.
            _ = try await storage.write([SyncBSOWrite(id: "c")], user: user, collection: "bookmarks", precondition: .none, at: syncEpoch)
            try requireEqual(try await storage.record(user: user, collection: "bookmarks", id: "c", at: syncEpoch)?.payload,
                             "", "empty payload")
        },
        ConformanceCase("sync storage: pages follow one another without gaps; sorts, newer, older and ids filter") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            var stamps: [String: SyncTimestamp] = [:]
            for (index, id) in ["a", "b", "c", "d", "e"].enumerated() {
                stamps[id] = try await storage.write(
                    [SyncBSOWrite(id: id, payload: id, sortIndex: id == "c" ? nil : index)], user: user, collection: "history",
                    precondition: .none, at: syncEpoch + Double(index))
            }
            func ids(_ query: SyncBSOQuery) async throws -> ([String], Int?) {
                let page = try await storage.records(user: user, collection: "history", matching: query, at: syncEpoch)
                return (page.records.map(\.id), page.nextOffset)
            }
            try requireEqual(try await ids(SyncBSOQuery(limit: 2)).0, ["e", "d"], "newest first")
            try requireEqual(try await ids(SyncBSOQuery(limit: 2)).1, 2, "the next page's offset")
            try requireEqual(try await ids(SyncBSOQuery(limit: 2, offset: 2)).0, ["c", "b"], "second page")
            let last = try await ids(SyncBSOQuery(limit: 2, offset: 4))
            try requireEqual(last.0, ["a"], "last page")
            try requireEqual(last.1, nil, "no page after the last")
            try requireEqual(try await ids(SyncBSOQuery(sort: .oldest)).0, ["a", "b", "c", "d", "e"], "oldest first")
            try requireEqual(try await ids(SyncBSOQuery(sort: .index)).0, ["e", "d", "b", "a", "c"], "by sort index, none last")
            try requireEqual(try await ids(SyncBSOQuery(newer: stamps["b"], older: stamps["e"])).0, ["d", "c"], "strictly between")
            try requireEqual(try await ids(SyncBSOQuery(ids: ["a", "e", "zz"], sort: .oldest)).0, ["a", "e"], "only these ids")
            try requireEqual(try await ids(SyncBSOQuery(ids: [])).0, [], "no ids, no records")
            try requireEqual(try await ids(SyncBSOQuery(limit: 0)).0, [], "limit 0")
            try requireEqual(try await storage.records(user: user, collection: "nothing", matching: SyncBSOQuery(), at: syncEpoch),
                             SyncBSOPage(records: [], nextOffset: nil), "a missing collection is empty")
        },
        ConformanceCase("sync storage: expired records are not served, counted or brought back; the purge deletes them") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            _ = try await storage.write(
                [SyncBSOWrite(id: "x", payload: "old", sortIndex: 1, ttl: 1), SyncBSOWrite(id: "y", payload: "kept")],
                user: user, collection: "tabs", precondition: .none, at: syncEpoch)
            let later = syncEpoch + 5
            try requireEqual(try await storage.record(user: user, collection: "tabs", id: "x", at: later), nil, "expired")
            try requireEqual(try await storage.collectionCounts(user: user, at: later), ["tabs": 1], "not counted")
            try requireEqual(try await storage.records(user: user, collection: "tabs", matching: SyncBSOQuery(), at: later).records
                                 .map(\.id), ["y"], "not listed")
            let purged = try await storage.purge(at: later)
            try require(purged >= 1, "the purge deleted the expired record")
            _ = try await storage.write([SyncBSOWrite(id: "x", sortIndex: 9)], user: user, collection: "tabs", precondition: .none, at: later)
            try requireEqual(try await storage.record(user: user, collection: "tabs", id: "x", at: later)?.payload, "",
                             "made anew, not revived")
            _ = try await storage.write([SyncBSOWrite(id: "z", payload: "soon", ttl: 1)], user: user, collection: "tabs",
                                        precondition: .none, at: later)
            _ = try await storage.write([SyncBSOWrite(id: "z", sortIndex: 2)], user: user, collection: "tabs",
                                        precondition: .none, at: later + 10)
            try requireEqual(try await storage.record(user: user, collection: "tabs", id: "z", at: later + 10)?.payload, "",
                             "an expired record still in the table is not brought back either")
        },
        ConformanceCase("sync storage: X-If-Unmodified-Since is checked against the collection or the record, and refuses whole") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            let created = try await storage.write(
                [SyncBSOWrite(id: "k", payload: "v1")], user: user, collection: "crypto", precondition: .collectionUnmodifiedSince(.zero),
                at: syncEpoch)
            do {
                _ = try await storage.write([SyncBSOWrite(id: "k", payload: "v2")], user: user, collection: "crypto",
                                            precondition: .collectionUnmodifiedSince(.zero), at: syncEpoch + 1)
                try require(false, "a create-only write went over an existing collection")
            } catch FxAStoreError.preconditionFailed(let current) {
                try requireEqual(current, created, "the collection's timestamp")
            }
            try requireEqual(try await storage.record(user: user, collection: "crypto", id: "k", at: syncEpoch)?.payload, "v1",
                             "nothing written")
            let updated = try await storage.write([SyncBSOWrite(id: "k", payload: "v2")], user: user, collection: "crypto",
                                                  precondition: .collectionUnmodifiedSince(created), at: syncEpoch + 1)
            do {
                _ = try await storage.write([SyncBSOWrite(id: "k", payload: "v3")], user: user, collection: "crypto",
                                            precondition: .recordUnmodifiedSince(id: "k", created), at: syncEpoch + 2)
                try require(false, "a stale record precondition held")
            } catch FxAStoreError.preconditionFailed(let current) {
                try requireEqual(current, updated, "the record's timestamp")
            }
            _ = try await storage.write([SyncBSOWrite(id: "new", payload: "n")], user: user, collection: "crypto",
                                        precondition: .recordUnmodifiedSince(id: "new", .zero), at: syncEpoch + 2)
            do {
                _ = try await storage.delete(ids: nil, user: user, collection: "crypto",
                                             precondition: .collectionUnmodifiedSince(created), at: syncEpoch + 3)
                try require(false, "a stale delete went through")
            } catch FxAStoreError.preconditionFailed {}
            try requireEqual(try await storage.collectionCounts(user: user, at: syncEpoch)["crypto"], 2, "nothing deleted")
        },
        ConformanceCase("sync storage: deleting records, a collection and everything") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            let written = try await storage.write(
                [SyncBSOWrite(id: "a", payload: "1"), SyncBSOWrite(id: "b", payload: "2")], user: user, collection: "forms",
                precondition: .none, at: syncEpoch)
            _ = try await storage.write([SyncBSOWrite(id: "m", payload: "g")], user: user, collection: "meta", precondition: .none,
                                        at: syncEpoch)
            let missing = try await storage.delete(ids: ["zz"], user: user, collection: "forms", precondition: .none, at: syncEpoch)
            try requireEqual(missing.deleted, 0, "nothing to delete")
            try requireEqual(try await storage.collectionModified(user: user, collection: "forms"), written, "no timestamp moved")
            let some = try await storage.delete(ids: ["a", "zz"], user: user, collection: "forms", precondition: .none, at: syncEpoch)
            try requireEqual(some.deleted, 1, "one deleted")
            try require(some.modified > written, "a new timestamp")
            try requireEqual(try await storage.collectionModified(user: user, collection: "forms"), some.modified, "collection moved")
            let whole = try await storage.delete(ids: nil, user: user, collection: "forms", precondition: .none, at: syncEpoch)
            try requireEqual(whole.deleted, 1, "the rest")
            try requireEqual(try await storage.collections(user: user).keys.sorted(), ["meta"], "the collection is gone")
            try requireEqual(try await storage.storageModified(user: user), whole.modified, "the storage timestamp moved")
            let absent = try await storage.delete(ids: nil, user: user, collection: "forms", precondition: .none, at: syncEpoch)
            try requireEqual(absent, SyncDeletion(modified: whole.modified, deleted: 0), "a missing collection: the storage's timestamp")
            try await storage.deleteStorage(user: user)
            try requireEqual(try await storage.collections(user: user), [:], "nothing left")
            try requireEqual(try await storage.storageModified(user: user), .zero, "timestamp zero again")
        },
        ConformanceCase("sync storage: only the current Sync user writes; replaced users' storage is purged, deleted accounts' at once") { stores in
            let storage = stores.syncStorage
            let (account, old) = try await newSyncUser(stores)
            _ = try await storage.write([SyncBSOWrite(id: "a", payload: "old keys")], user: old, collection: "passwords",
                                        precondition: .none, at: syncEpoch)
            let new = try await stores.syncUsers.assignSyncUser(uid: account.uid, at: Date(), decide: sameKeysOrNew("bb", generation: 2)).id
            do {
                _ = try await storage.write([SyncBSOWrite(id: "b", payload: "stale token")], user: old, collection: "passwords",
                                            precondition: .none, at: syncEpoch)
                try require(false, "a replaced user wrote")
            } catch FxAStoreError.notFound {}
            do {
                _ = try await storage.write([SyncBSOWrite(id: "b")], user: 987_654_321, collection: "passwords",
                                            precondition: .none, at: syncEpoch)
                try require(false, "a user that never was wrote")
            } catch FxAStoreError.notFound {}
            _ = try await storage.write([SyncBSOWrite(id: "a", payload: "new keys")], user: new, collection: "passwords",
                                        precondition: .none, at: syncEpoch)
            _ = try await storage.purge(at: syncEpoch)
            try requireEqual(try await storage.collections(user: old), [:], "the replaced user's storage purged")
            try requireEqual(try await storage.record(user: new, collection: "passwords", id: "a", at: syncEpoch)?.payload,
                             "new keys", "the current user's kept")
            try await stores.accounts.delete(
                uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await storage.collections(user: new), [:], "deleted with the account")
            try requireEqual(try await storage.storageModified(user: new), .zero, "no storage row left")
        },
        ConformanceCase("sync storage: a batch shows nothing until its commit, then everything in order at one time") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            let before = try await storage.write([SyncBSOWrite(id: "x", payload: "old")], user: user, collection: "bookmarks",
                                                 precondition: .none, at: syncEpoch)
            let batch = try await storage.beginBatch(user: user, collection: "bookmarks", at: syncEpoch)
            try await storage.appendToBatch([SyncBSOWrite(id: "a", payload: "1"), SyncBSOWrite(id: "b", payload: "2")],
                                            batch: batch, user: user, collection: "bookmarks", at: syncEpoch)
            try await storage.appendToBatch([SyncBSOWrite(id: "a", sortIndex: 3)], batch: batch, user: user,
                                            collection: "bookmarks", at: syncEpoch)
            try requireEqual(try await storage.records(user: user, collection: "bookmarks", matching: SyncBSOQuery(), at: syncEpoch)
                                 .records.map(\.id), ["x"], "nothing of the batch yet")
            try requireEqual(try await storage.collectionModified(user: user, collection: "bookmarks"), before, "no new timestamp yet")
            let committed = try await storage.commitBatch(
                [SyncBSOWrite(id: "c", payload: "3"), SyncBSOWrite(id: "b", payload: "2b")], batch: batch, user: user,
                collection: "bookmarks", precondition: .collectionUnmodifiedSince(before), at: syncEpoch)
            try require(committed > before, "a new timestamp")
            let records = try await storage.records(user: user, collection: "bookmarks", matching: SyncBSOQuery(sort: .oldest),
                                                    at: syncEpoch).records
            try requireEqual(records.filter { $0.modified == committed }.map(\.id).sorted(), ["a", "b", "c"], "all at once")
            try requireEqual(records.first { $0.id == "a" }, SyncBSO(id: "a", modified: committed, payload: "1", sortIndex: 3),
                             "a sent twice: merged")
            try requireEqual(records.first { $0.id == "b" }?.payload, "2b", "the commit's own records last")
            try requireEqual(try await storage.collectionModified(user: user, collection: "bookmarks"), committed, "collection")
            do {
                try await storage.appendToBatch([SyncBSOWrite(id: "d")], batch: batch, user: user, collection: "bookmarks", at: syncEpoch)
                try require(false, "a committed batch took more records")
            } catch FxAStoreError.notFound {}
        },
        ConformanceCase("sync storage: a batch belongs to one user and collection, expires, and waits out a failed precondition") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            let (_, other) = try await newSyncUser(stores)
            let batch = try await storage.beginBatch(user: user, collection: "history", at: syncEpoch)
            for (owner, collection, at) in [(user, "tabs", syncEpoch), (other, "history", syncEpoch), (user, "history", syncEpoch + 3 * 3600)] {
                do {
                    try await storage.appendToBatch([SyncBSOWrite(id: "a", payload: "1")], batch: batch, user: owner,
                                                    collection: collection, at: at)
                    try require(false, "a batch took records for another user, collection, or after it expired")
                } catch FxAStoreError.notFound {}
            }
            do {
                _ = try await storage.commitBatch([], batch: 12345, user: user, collection: "history", precondition: .none, at: syncEpoch)
                try require(false, "an unknown batch committed")
            } catch FxAStoreError.notFound {}
            try await storage.appendToBatch([SyncBSOWrite(id: "a", payload: "1")], batch: batch, user: user, collection: "history",
                                            at: syncEpoch)
            let meanwhile = try await storage.write([SyncBSOWrite(id: "z", payload: "other device")], user: user,
                                                    collection: "history", precondition: .none, at: syncEpoch)
            do {
                _ = try await storage.commitBatch([], batch: batch, user: user, collection: "history",
                                                  precondition: .collectionUnmodifiedSince(.zero), at: syncEpoch)
                try require(false, "a commit went over a newer collection")
            } catch FxAStoreError.preconditionFailed(let current) {
                try requireEqual(current, meanwhile, "the collection's timestamp")
            }
            let committed = try await storage.commitBatch([], batch: batch, user: user, collection: "history",
                                                          precondition: .collectionUnmodifiedSince(meanwhile), at: syncEpoch)
            try requireEqual(try await storage.record(user: user, collection: "history", id: "a", at: syncEpoch)?.modified,
                             committed, "the batch survived the failed commit")
            let expiring = try await storage.beginBatch(user: user, collection: "history", at: syncEpoch)
            _ = try await storage.purge(at: syncEpoch + 3 * 3600)
            do {
                _ = try await storage.commitBatch([], batch: expiring, user: user, collection: "history", precondition: .none,
                                                  at: syncEpoch)
                try require(false, "a purged batch committed")
            } catch FxAStoreError.notFound {}
            let wiped = try await storage.beginBatch(user: user, collection: "history", at: syncEpoch)
            try await storage.deleteStorage(user: user)
            do {
                _ = try await storage.commitBatch([], batch: wiped, user: user, collection: "history", precondition: .none,
                                                  at: syncEpoch)
                try require(false, "a batch outlived deleting the storage")
            } catch FxAStoreError.notFound {}
        },
        ConformanceCase("sync storage: concurrent writes to one user all land, each at its own later time") { stores in
            let storage = stores.syncStorage
            let (_, user) = try await newSyncUser(stores)
            let stamps = try await withThrowingTaskGroup(of: SyncTimestamp.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await storage.write([SyncBSOWrite(id: "r\(index)", payload: "\(index)")], user: user,
                                                collection: "clients", precondition: .none, at: syncEpoch)
                    }
                }
                return try await group.reduce(into: [SyncTimestamp]()) { $0.append($1) }
            }
            try requireEqual(Set(stamps).count, 8, "eight distinct timestamps")
            try requireEqual(try await storage.collectionCounts(user: user, at: syncEpoch)["clients"], 8, "every record")
            try requireEqual(try await storage.storageModified(user: user), stamps.max(), "the storage at the latest")
        },
    ]
}
