import FxACore
import Foundation
import SQLKit

/// Writes and deletions. Each runs in one transaction that first takes the
/// user's `sync_storage` row (locked on PostgreSQL; SQLite has one writer)
/// and checks that the Sync user still exists and is current.
extension SQLSyncStorageStore {
    public func write(
        _ writes: [SyncBSOWrite], user: Int64, collection: String, precondition: SyncPrecondition, at now: Date
    ) async throws -> SyncTimestamp {
        let isPostgres = database.location.isPostgres
        let nowMS = now.millisecondsSince1970
        return try await database.transaction { sql in
            let storage = try await Self.lockStorage(user: user, creating: true, isPostgres: isPostgres, on: sql) ?? 0
            try await Self.check(precondition, user: user, collection: collection, nowMS: nowMS, on: sql)
            let modified = Self.next(after: storage, now: now)
            try await Self.apply(writes, user: user, collection: collection, modified: modified, nowMS: nowMS, on: sql)
            return SyncTimestamp(milliseconds: modified)
        }
    }

    /// Writes `writes` in order at `modified` and moves the collection and
    /// the storage to it: the body of a write and of a batch's commit.
    static func apply(
        _ writes: [SyncBSOWrite], user: Int64, collection: String, modified: Int64, nowMS: Int64, on sql: any SQLDatabase
    ) async throws {
        if !writes.isEmpty {
            // An expired record is gone: a write creates it anew rather
            // than bringing back fields it left out.
            var expired: SQLQueryString = """
                DELETE FROM sync_bsos WHERE user_id = \(bind: user) AND collection = \(bind: collection) \
                AND expires <= \(bind: nowMS) AND id IN (
                """
            expired.appendInterpolation(binds: Array(Set(writes.map(\.id))))
            expired.appendInterpolation(unsafeRaw: ")")
            try await sql.raw(expired).run()
        }
        for write in writes {
            try await sql.raw(upsert(write, user: user, collection: collection, modified: modified)).run()
        }
        try await touch(user: user, collection: collection, modified: modified, on: sql)
    }

    public func delete(
        ids: [String]?, user: Int64, collection: String, precondition: SyncPrecondition, at now: Date
    ) async throws -> SyncDeletion {
        let isPostgres = database.location.isPostgres
        let nowMS = now.millisecondsSince1970
        return try await database.transaction { sql in
            guard let storage = try await Self.lockStorage(user: user, creating: false, isPostgres: isPostgres, on: sql) else {
                return SyncDeletion(modified: .zero, deleted: 0)
            }
            try await Self.check(precondition, user: user, collection: collection, nowMS: nowMS, on: sql)
            guard let collectionModified = try await Self.collectionModified(user: user, collection: collection, on: sql) else {
                return SyncDeletion(modified: SyncTimestamp(milliseconds: storage), deleted: 0)
            }
            var match: SQLQueryString = "user_id = \(bind: user) AND collection = \(bind: collection)"
            if let ids {
                guard !ids.isEmpty else {
                    return SyncDeletion(modified: SyncTimestamp(milliseconds: collectionModified), deleted: 0)
                }
                match.appendInterpolation(unsafeRaw: " AND id IN (")
                match.appendInterpolation(binds: ids)
                match.appendInterpolation(unsafeRaw: ")")
            }
            let live = try await sql.raw("""
                SELECT COUNT(*) AS total FROM sync_bsos WHERE \(match) AND expires > \(bind: nowMS)
                """).first(decodingColumn: "total", as: Int64.self) ?? 0
            try await sql.raw("DELETE FROM sync_bsos WHERE \(match)").run()
            let modified = Self.next(after: storage, now: now)
            if ids == nil {
                // The collection itself goes; the storage timestamp moves,
                // which is how clients learn of it.
                try await sql.raw("""
                    DELETE FROM sync_collections WHERE user_id = \(bind: user) AND name = \(bind: collection)
                    """).run()
                try await sql.raw("UPDATE sync_storage SET modified = \(bind: modified) WHERE user_id = \(bind: user)").run()
                return SyncDeletion(modified: SyncTimestamp(milliseconds: modified), deleted: Int(live))
            }
            guard live > 0 else {
                return SyncDeletion(modified: SyncTimestamp(milliseconds: collectionModified), deleted: 0)
            }
            try await Self.touch(user: user, collection: collection, modified: modified, on: sql)
            return SyncDeletion(modified: SyncTimestamp(milliseconds: modified), deleted: Int(live))
        }
    }

    public func deleteStorage(user: Int64) async throws {
        try await database.transaction { sql in
            for table in Self.userTables {
                try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE user_id = \(bind: user)").run()
            }
        }
    }

    public func purge(at now: Date) async throws -> Int {
        let nowMS = now.millisecondsSince1970
        return try await database.transaction { sql in
            let replaced: SQLQueryString = "SELECT id FROM sync_users WHERE replaced_at IS NOT NULL"
            let expired = try await sql.raw("""
                SELECT COUNT(*) AS total FROM sync_bsos WHERE expires <= \(bind: nowMS) OR user_id IN (\(replaced))
                """).first(decodingColumn: "total", as: Int64.self) ?? 0
            try await sql.raw("DELETE FROM sync_bsos WHERE expires <= \(bind: nowMS)").run()
            try await sql.raw("""
                DELETE FROM sync_batch_items WHERE EXISTS (SELECT 1 FROM sync_batches \
                WHERE sync_batches.user_id = sync_batch_items.user_id AND sync_batches.id = sync_batch_items.batch_id \
                AND sync_batches.expires <= \(bind: nowMS))
                """).run()
            try await sql.raw("DELETE FROM sync_batches WHERE expires <= \(bind: nowMS)").run()
            for table in Self.userTables {
                try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE user_id IN (\(replaced))").run()
            }
            return Int(expired)
        }
    }

    /// Every table keyed by the Sync user, children first: what deleting a
    /// user's storage (or its account) empties.
    static let userTables = [
        SyncBSORow.table, SyncCollectionRow.table, SyncBatchItemRow.table, SyncBatchRow.table, SyncStorageRow.table,
    ]

    /// Takes the user's storage row (made first when `creating`) and
    /// returns its timestamp; `nil` when there is none and none was made.
    ///
    /// - Throws: ``FxAStoreError/notFound`` when the Sync user is gone (its
    ///   account deleted) or replaced by newer keys: a client still holding
    ///   its token must not write storage no one can read, or that outlives
    ///   the account. Locked for share on PostgreSQL, so an account
    ///   deletion waits for this write and then deletes what it wrote.
    static func lockStorage(user: Int64, creating: Bool, isPostgres: Bool, on sql: any SQLDatabase) async throws -> Int64? {
        var current: SQLQueryString = "SELECT id FROM sync_users WHERE id = \(bind: user) AND replaced_at IS NULL"
        if isPostgres { current.appendInterpolation(unsafeRaw: " FOR SHARE") }
        guard try await sql.raw(current).first() != nil else { throw FxAStoreError.notFound }
        if creating {
            try await sql.raw("""
                INSERT INTO sync_storage (user_id, modified) VALUES (\(bind: user), 0) ON CONFLICT (user_id) DO NOTHING
                """).run()
        }
        var lock: SQLQueryString = "SELECT * FROM sync_storage WHERE user_id = \(bind: user)"
        if isPostgres { lock.appendInterpolation(unsafeRaw: " FOR UPDATE") }
        return try await sql.raw(lock).row(SyncStorageRow.self)?.modified
    }

    /// The next write's timestamp: now, to 10 ms, but always after the
    /// storage's last one.
    static func next(after storage: Int64, now: Date) -> Int64 {
        max(SyncTimestamp(now).milliseconds, storage + 10)
    }

    /// Throws unless `precondition` holds for the resource it names.
    static func check(
        _ precondition: SyncPrecondition, user: Int64, collection: String, nowMS: Int64, on sql: any SQLDatabase
    ) async throws {
        let since: SyncTimestamp
        let current: Int64
        switch precondition {
        case .none:
            return
        case .collectionUnmodifiedSince(let timestamp):
            since = timestamp
            current = try await collectionModified(user: user, collection: collection, on: sql) ?? 0
        case .recordUnmodifiedSince(let id, let timestamp):
            since = timestamp
            current = try await liveRecord(user: user, collection: collection, id: id, nowMS: nowMS, on: sql)?.modified ?? 0
        }
        if current > since.milliseconds { throw FxAStoreError.preconditionFailed(SyncTimestamp(milliseconds: current)) }
    }

    /// Creates the record, or updates only the fields `write` carries;
    /// `modified` moves when the payload or sort index does, as in
    /// syncstorage-rs (a new TTL alone does not make a record "changed").
    static func upsert(_ write: SyncBSOWrite, user: Int64, collection: String, modified: Int64) -> SQLQueryString {
        let payload = write.payload ?? ""
        let expires = write.ttl.map { modified + Int64($0) * 1000 } ?? SyncBSORow.never
        var statement: SQLQueryString = """
            INSERT INTO sync_bsos (user_id, collection, id, sort_index, payload, payload_bytes, modified, expires) \
            VALUES (\(bind: user), \(bind: collection), \(bind: write.id), \(bind: write.sortIndex), \(bind: payload), \
            \(bind: Int64(payload.utf8.count)), \(bind: modified), \(bind: expires)) \
            ON CONFLICT (user_id, collection, id) DO
            """
        var sets: [String] = []
        if write.payload != nil { sets += ["payload = excluded.payload", "payload_bytes = excluded.payload_bytes"] }
        if write.sortIndex != nil { sets.append("sort_index = excluded.sort_index") }
        if write.ttl != nil { sets.append("expires = excluded.expires") }
        if write.payload != nil || write.sortIndex != nil { sets.append("modified = excluded.modified") }
        statement.appendInterpolation(unsafeRaw: sets.isEmpty ? " NOTHING" : " UPDATE SET " + sets.joined(separator: ", "))
        return statement
    }

    /// Moves the collection (made if new) and the storage to `modified`.
    static func touch(user: Int64, collection: String, modified: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO sync_collections (user_id, name, modified) VALUES (\(bind: user), \(bind: collection), \(bind: modified)) \
            ON CONFLICT (user_id, name) DO UPDATE SET modified = excluded.modified
            """).run()
        try await sql.raw("UPDATE sync_storage SET modified = \(bind: modified) WHERE user_id = \(bind: user)").run()
    }
}
