import FxACore
import Foundation

/// One record of a Sync user's storage, a "basic storage object" (BSO).
/// The payload is the client's ciphertext; the server never reads it.
public struct SyncBSO: Sendable, Equatable {
    /// Unique in its collection: printable ASCII, 1 to 64 characters.
    public var id: String
    /// When it was last written (the write's timestamp).
    public var modified: SyncTimestamp
    /// The client's encrypted record, usually a JSON string.
    public var payload: String
    /// The client's ordering hint for `sort=index`.
    public var sortIndex: Int?

    /// A record as the store holds it.
    public init(id: String, modified: SyncTimestamp, payload: String, sortIndex: Int?) {
        self.id = id
        self.modified = modified
        self.payload = payload
        self.sortIndex = sortIndex
    }
}

/// A record as a client writes it (`PUT`, `POST`): what it leaves out
/// keeps its stored value, or takes its default when the record is new (an
/// empty payload, no sort index, no expiry), as in syncstorage-rs.
public struct SyncBSOWrite: Sendable, Equatable {
    public var id: String
    public var payload: String?
    public var sortIndex: Int?
    /// Seconds from the write until the record expires and is no longer
    /// served (Firefox gives its clients and tabs records 180 days).
    public var ttl: Int?

    /// A write of the given fields.
    public init(id: String, payload: String? = nil, sortIndex: Int? = nil, ttl: Int? = nil) {
        self.id = id
        self.payload = payload
        self.sortIndex = sortIndex
        self.ttl = ttl
    }
}

/// The orders `GET storage/{collection}` offers (`sort`).
public enum SyncSortOrder: String, Sendable, Equatable {
    /// Last written first (ties by id, so pages never overlap).
    case newest
    /// First written first.
    case oldest
    /// Highest sort index first; records without one last.
    case index
}

/// Which records of a collection a read wants, and which page of them.
public struct SyncBSOQuery: Sendable, Equatable {
    /// Only these ids, when given.
    public var ids: [String]?
    /// Only records written after this (strictly).
    public var newer: SyncTimestamp?
    /// Only records written before this (strictly).
    public var older: SyncTimestamp?
    public var sort: SyncSortOrder
    /// At most this many records.
    public var limit: Int
    /// Skip this many first: the `X-Weave-Next-Offset` of the previous page.
    public var offset: Int

    /// A query; by default every record, newest first, in pages of 10,000.
    public init(
        ids: [String]? = nil, newer: SyncTimestamp? = nil, older: SyncTimestamp? = nil, sort: SyncSortOrder = .newest,
        limit: Int = 10_000, offset: Int = 0
    ) {
        self.ids = ids
        self.newer = newer
        self.older = older
        self.sort = sort
        self.limit = limit
        self.offset = offset
    }
}

/// One page of records, and where the next starts if there is one.
public struct SyncBSOPage: Sendable, Equatable {
    public var records: [SyncBSO]
    /// The offset of the next page; `nil` when this was the last.
    public var nextOffset: Int?

    public init(records: [SyncBSO], nextOffset: Int?) {
        self.records = records
        self.nextOffset = nextOffset
    }
}

/// A write's `X-If-Unmodified-Since`, checked inside the write's
/// transaction against the resource the request names: a collection for
/// `POST` and `DELETE`, one record for `PUT`. A resource that does not
/// exist has timestamp 0, so `.collection(.zero)` means "only if new".
public enum SyncPrecondition: Sendable, Equatable {
    case none
    /// The collection has not been written since.
    case collectionUnmodifiedSince(SyncTimestamp)
    /// This record has not been written since.
    case recordUnmodifiedSince(id: String, SyncTimestamp)
}

/// What a deletion did.
public struct SyncDeletion: Sendable, Equatable {
    /// The timestamp clients see next: the deletion's own when something was
    /// deleted, else the storage's unchanged one.
    public var modified: SyncTimestamp
    /// How many records it removed.
    public var deleted: Int

    public init(modified: SyncTimestamp, deleted: Int) {
        self.modified = modified
        self.deleted = deleted
    }
}

/// Sync 1.5 storage: each Sync user's collections of records
/// (``SyncUserRecord/id`` is the `user`).
///
/// Every write of one user takes that user's storage row first, so writes
/// are serialised per user and each gets a timestamp strictly later than
/// every earlier one, even when the clock stalls or steps back: clients
/// rely on timestamps only growing to find what changed. An expired
/// record is never served, counted or written over as if it still existed.
public protocol SyncStorageStore: Sendable {
    /// The latest write of any kind; zero when the user has stored nothing.
    func storageModified(user: Int64) async throws -> SyncTimestamp

    /// Each collection and its latest write (`info/collections`).
    func collections(user: Int64) async throws -> [String: SyncTimestamp]

    /// The latest write of `collection`; zero when it does not exist.
    func collectionModified(user: Int64, collection: String) async throws -> SyncTimestamp

    /// Live records per collection (`info/collection_counts`).
    func collectionCounts(user: Int64, at now: Date) async throws -> [String: Int]

    /// Payload bytes of live records per collection (`info/collection_usage`, quota).
    func collectionBytes(user: Int64, at now: Date) async throws -> [String: Int64]

    /// One live record.
    func record(user: Int64, collection: String, id: String, at now: Date) async throws -> SyncBSO?

    /// A page of a collection's live records.
    func records(user: Int64, collection: String, matching query: SyncBSOQuery, at now: Date) async throws -> SyncBSOPage

    /// Creates or updates `writes` in `collection` (made if new) with one
    /// new timestamp, which it returns.
    ///
    /// - Throws: ``FxAStoreError/preconditionFailed(_:)`` with the
    ///   resource's timestamp when `precondition` does not hold; nothing is
    ///   written then.
    func write(_ writes: [SyncBSOWrite], user: Int64, collection: String, precondition: SyncPrecondition, at now: Date)
        async throws -> SyncTimestamp

    /// Deletes `ids` of `collection`, or the whole collection when `ids` is
    /// `nil`. Deleting nothing changes no timestamp.
    ///
    /// - Throws: ``FxAStoreError/preconditionFailed(_:)`` as ``write(_:user:collection:precondition:at:)``.
    func delete(ids: [String]?, user: Int64, collection: String, precondition: SyncPrecondition, at now: Date)
        async throws -> SyncDeletion

    /// Opens a batch upload into `collection` and returns its id: records
    /// sent over several requests, applied together at the commit, so other
    /// devices never see half of an upload.
    func beginBatch(user: Int64, collection: String, at now: Date) async throws -> Int64

    /// Adds `writes` to a batch. A record sent again merges into the one
    /// pending, the later fields winning.
    ///
    /// - Throws: ``FxAStoreError/notFound`` when the batch is unknown,
    ///   expired (two hours), committed, or of another collection.
    func appendToBatch(_ writes: [SyncBSOWrite], batch: Int64, user: Int64, collection: String, at now: Date) async throws

    /// Applies the batch's records in the order they were sent, then
    /// `writes`, all with one new timestamp, and closes the batch.
    ///
    /// - Throws: as ``appendToBatch(_:batch:user:collection:at:)``, and
    ///   ``FxAStoreError/preconditionFailed(_:)`` as ``write(_:user:collection:precondition:at:)``.
    func commitBatch(
        _ writes: [SyncBSOWrite], batch: Int64, user: Int64, collection: String, precondition: SyncPrecondition, at now: Date
    ) async throws -> SyncTimestamp

    /// Deletes everything the user stored; its storage timestamp is zero again.
    func deleteStorage(user: Int64) async throws

    /// Deletes expired records and batches, and the storage of Sync users
    /// that newer keys replaced (unreadable to every client since). Returns
    /// how many records went.
    func purge(at now: Date) async throws -> Int
}
