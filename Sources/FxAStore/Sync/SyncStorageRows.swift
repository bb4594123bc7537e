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
