import FxACore
import Foundation
import SQLKit

/// Batch uploads: records wait in `sync_batch_items` until the commit
/// applies them in one write transaction (``write(_:user:collection:precondition:at:)``'s).
extension SQLSyncStorageStore {
    /// How long a batch may stay open, as in syncstorage-rs (ms).
    static let batchLifetime: Int64 = 2 * 3600 * 1000

    public func beginBatch(user: Int64, collection: String, at now: Date) async throws -> Int64 {
        let isPostgres = database.location.isPostgres
        let batch = SyncBatchRow(
            userID: user, id: Int64.random(in: 1...Int64.max), collection: collection,
            expires: now.millisecondsSince1970 + Self.batchLifetime)
        return try await database.transaction { sql in
            _ = try await Self.lockStorage(user: user, creating: true, isPostgres: isPostgres, on: sql)
            try await sql.insert(batch)
            return batch.id
        }
    }

    public func appendToBatch(
        _ writes: [SyncBSOWrite], batch: Int64, user: Int64, collection: String, at now: Date
    ) async throws {
        let isPostgres = database.location.isPostgres
        let nowMS = now.millisecondsSince1970
        try await database.transaction { sql in
            _ = try await Self.lockStorage(user: user, creating: true, isPostgres: isPostgres, on: sql)
            try await Self.requireOpen(batch: batch, user: user, collection: collection, nowMS: nowMS, on: sql)
            try await Self.stage(writes, batch: batch, user: user, on: sql)
        }
    }

    public func commitBatch(
        _ writes: [SyncBSOWrite], batch: Int64, user: Int64, collection: String, precondition: SyncPrecondition, at now: Date
    ) async throws -> SyncTimestamp {
        let isPostgres = database.location.isPostgres
        let nowMS = now.millisecondsSince1970
        return try await database.transaction { sql in
            let storage = try await Self.lockStorage(user: user, creating: true, isPostgres: isPostgres, on: sql) ?? 0
            try await Self.requireOpen(batch: batch, user: user, collection: collection, nowMS: nowMS, on: sql)
            try await Self.check(precondition, user: user, collection: collection, nowMS: nowMS, on: sql)
            let staged = try await sql.raw("""
                SELECT * FROM sync_batch_items WHERE user_id = \(bind: user) AND batch_id = \(bind: batch) ORDER BY position
                """).rows(SyncBatchItemRow.self)
            let modified = Self.next(after: storage, now: now)
            try await Self.apply(
                staged.map(\.write) + writes, user: user, collection: collection, modified: modified, nowMS: nowMS, on: sql)
            try await sql.raw("DELETE FROM sync_batch_items WHERE user_id = \(bind: user) AND batch_id = \(bind: batch)").run()
            try await sql.raw("DELETE FROM sync_batches WHERE user_id = \(bind: user) AND id = \(bind: batch)").run()
            return SyncTimestamp(milliseconds: modified)
        }
    }

    /// Throws ``FxAStoreError/notFound`` unless `batch` is the user's, open,
    /// and for `collection`.
    private static func requireOpen(
        batch: Int64, user: Int64, collection: String, nowMS: Int64, on sql: any SQLDatabase
    ) async throws {
        let row = try await sql.raw("""
            SELECT * FROM sync_batches WHERE user_id = \(bind: user) AND id = \(bind: batch)
            """).row(SyncBatchRow.self)
        guard let row, row.collection == collection, row.expires > nowMS else { throw FxAStoreError.notFound }
    }

    /// Adds `writes` to the batch's items, each after the ones already
    /// there; one sent again merges into its pending self.
    private static func stage(_ writes: [SyncBSOWrite], batch: Int64, user: Int64, on sql: any SQLDatabase) async throws {
        var position = try await sql.raw("""
            SELECT COALESCE(MAX(position), 0) AS last FROM sync_batch_items \
            WHERE user_id = \(bind: user) AND batch_id = \(bind: batch)
            """).first(decodingColumn: "last", as: Int64.self) ?? 0
        for write in writes {
            position += 1
            try await sql.raw("""
                INSERT INTO sync_batch_items (user_id, batch_id, id, sort_index, payload, payload_bytes, ttl, position) \
                VALUES (\(bind: user), \(bind: batch), \(bind: write.id), \(bind: write.sortIndex), \(bind: write.payload), \
                \(bind: write.payload.map { Int64($0.utf8.count) }), \(bind: write.ttl), \(bind: position)) \
                ON CONFLICT (user_id, batch_id, id) DO UPDATE SET \
                sort_index = COALESCE(excluded.sort_index, sync_batch_items.sort_index), \
                payload = COALESCE(excluded.payload, sync_batch_items.payload), \
                payload_bytes = COALESCE(excluded.payload_bytes, sync_batch_items.payload_bytes), \
                ttl = COALESCE(excluded.ttl, sync_batch_items.ttl)
                """).run()
        }
    }
}
