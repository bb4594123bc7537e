import FxACore
import Foundation
import SQLKit

/// ``SyncStorageStore`` on `sync_storage`, `sync_collections` and
/// `sync_bsos` (``SyncStorageRow``, ``SyncCollectionRow``, ``SyncBSORow``).
/// Reads are single statements on the reader; writes are in
/// `SQLSyncStorageStore+Writes.swift`.
public struct SQLSyncStorageStore: SyncStorageStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func storageModified(user: Int64) async throws -> SyncTimestamp {
        let row = try await database.readSQL().row(SyncStorageRow.self, where: "user_id", is: user)
        return SyncTimestamp(milliseconds: row?.modified ?? 0)
    }

    public func collections(user: Int64) async throws -> [String: SyncTimestamp] {
        let rows = try await database.readSQL().raw("""
            SELECT * FROM sync_collections WHERE user_id = \(bind: user)
            """).rows(SyncCollectionRow.self)
        return Dictionary(rows.map { ($0.name, SyncTimestamp(milliseconds: $0.modified)) }) { first, _ in first }
    }

    public func collectionModified(user: Int64, collection: String) async throws -> SyncTimestamp {
        SyncTimestamp(milliseconds: try await Self.collectionModified(user: user, collection: collection, on: database.readSQL()) ?? 0)
    }

    public func collectionCounts(user: Int64, at now: Date) async throws -> [String: Int] {
        try await perCollection("COUNT(*)", user: user, at: now).mapValues { Int($0) }
    }

    public func collectionBytes(user: Int64, at now: Date) async throws -> [String: Int64] {
        // PostgreSQL sums BIGINTs as NUMERIC.
        try await perCollection("CAST(SUM(payload_bytes) AS BIGINT)", user: user, at: now)
    }

    private func perCollection(_ aggregate: String, user: Int64, at now: Date) async throws -> [String: Int64] {
        let rows = try await database.readSQL().raw("""
            SELECT collection, \(unsafeRaw: aggregate) AS total FROM sync_bsos \
            WHERE user_id = \(bind: user) AND expires > \(bind: now.millisecondsSince1970) GROUP BY collection
            """).all()
        var totals: [String: Int64] = [:]
        for row in rows {
            totals[try row.decode(column: "collection", as: String.self)] = try row.decode(column: "total", as: Int64.self)
        }
        return totals
    }

    public func record(user: Int64, collection: String, id: String, at now: Date) async throws -> SyncBSO? {
        try await Self.liveRecord(user: user, collection: collection, id: id, nowMS: now.millisecondsSince1970,
                                  on: database.readSQL())?.record
    }

    /// One record, unless it has expired.
    static func liveRecord(
        user: Int64, collection: String, id: String, nowMS: Int64, on sql: any SQLDatabase
    ) async throws -> SyncBSORow? {
        try await sql.raw("""
            SELECT * FROM sync_bsos WHERE user_id = \(bind: user) AND collection = \(bind: collection) \
            AND id = \(bind: id) AND expires > \(bind: nowMS)
            """).row(SyncBSORow.self)
    }

    public func records(user: Int64, collection: String, matching query: SyncBSOQuery, at now: Date) async throws -> SyncBSOPage {
        guard query.limit > 0, query.ids?.isEmpty != true else { return SyncBSOPage(records: [], nextOffset: nil) }
        var select: SQLQueryString = """
            SELECT * FROM sync_bsos WHERE user_id = \(bind: user) AND collection = \(bind: collection) \
            AND expires > \(bind: now.millisecondsSince1970)
            """
        if let ids = query.ids {
            select.appendInterpolation(unsafeRaw: " AND id IN (")
            select.appendInterpolation(binds: ids)
            select.appendInterpolation(unsafeRaw: ")")
        }
        if let newer = query.newer { select += " AND modified > \(bind: newer.milliseconds)" }
        if let older = query.older { select += " AND modified < \(bind: older.milliseconds)" }
        // Ties broken by id, so consecutive pages neither repeat nor skip a
        // record; records without a sort index last on both databases.
        let order = switch query.sort {
        case .newest: " ORDER BY modified DESC, id DESC"
        case .oldest: " ORDER BY modified ASC, id ASC"
        case .index: " ORDER BY sort_index IS NULL, sort_index DESC, id DESC"
        }
        select.appendInterpolation(unsafeRaw: order)
        // One more than asked: whether another page follows.
        select += " LIMIT \(bind: query.limit + 1) OFFSET \(bind: max(query.offset, 0))"
        let rows = try await database.readSQL().raw(select).rows(SyncBSORow.self)
        let more = rows.count > query.limit
        return SyncBSOPage(
            records: rows.prefix(query.limit).map(\.record), nextOffset: more ? max(query.offset, 0) + query.limit : nil)
    }

    static func collectionModified(user: Int64, collection: String, on sql: any SQLDatabase) async throws -> Int64? {
        try await sql.raw("""
            SELECT * FROM sync_collections WHERE user_id = \(bind: user) AND name = \(bind: collection)
            """).row(SyncCollectionRow.self)?.modified
    }
}
