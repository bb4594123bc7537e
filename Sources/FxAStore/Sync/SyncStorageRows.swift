import FxACore
import Foundation

/// A row of `sync_storage`: one per Sync user that has stored anything.
/// `modified` is the user's storage timestamp (ms); writes lock this row
/// first, which serialises one user's writes and keeps it growing.
struct SyncStorageRow: TableRow {
    static let table = "sync_storage"

    var userID: Int64
    var modified: Int64
}

/// A row of `sync_collections`: one of a user's collections and its
/// latest write (ms).
struct SyncCollectionRow: TableRow {
    static let table = "sync_collections"

    var userID: Int64
    var name: String
    var modified: Int64
}

/// A row of `sync_bsos` (``SyncBSO``). `expires` is absolute (ms), never
/// the TTL a client sent, so reads filter on it without arithmetic;
/// ``never`` marks a record without one.
struct SyncBSORow: TableRow {
    static let table = "sync_bsos"

    /// The expiry of a record written without a TTL.
    static let never = Int64.max

    var userID: Int64
    var collection: String
    var id: String
    var sortIndex: Int?
    var payload: String
    /// The payload's UTF-8 length, summed for usage and quota.
    var payloadBytes: Int64
    var modified: Int64
    var expires: Int64

    var record: SyncBSO {
        SyncBSO(id: id, modified: SyncTimestamp(milliseconds: modified), payload: payload, sortIndex: sortIndex)
    }
}

/// A row of `sync_batches`: a batch upload a client opened and has not
/// committed. It lives two hours, as in syncstorage-rs.
struct SyncBatchRow: TableRow {
    static let table = "sync_batches"

    var userID: Int64
    var id: Int64
    var collection: String
    var expires: Int64
}

/// A row of `sync_batch_items`: one record sent to a batch, kept as the
/// client sent it (absent fields `NULL`; the TTL relative, since it counts
/// from the commit) until the commit applies it.
struct SyncBatchItemRow: TableRow {
    static let table = "sync_batch_items"

    var userID: Int64
    var batchID: Int64
    var id: String
    var sortIndex: Int?
    var payload: String?
    var payloadBytes: Int64?
    var ttl: Int?
    /// The order it was first sent in, so a commit applies items in order.
    var position: Int64

    var write: SyncBSOWrite {
        SyncBSOWrite(id: id, payload: payload, sortIndex: sortIndex, ttl: ttl)
    }
}
