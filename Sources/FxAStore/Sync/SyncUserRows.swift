import FxACore
import Foundation

/// A row of `sync_users` (``SyncUserRecord``).
struct SyncUserRow: TableRow {
    static let table = "sync_users"

    /// `nil` in an insert: the database numbers users.
    var id: Int64?
    var uid: String
    var generation: Int64
    var keysChangedAt: Int64?
    var clientState: String
    var createdAt: Date
    var replacedAt: Date?

    init(uid: AccountUID, generation: Int64, keysChangedAt: Int64?, clientState: String, createdAt: Date) {
        self.uid = uid.hex
        self.generation = generation
        self.keysChangedAt = keysChangedAt
        self.clientState = clientState
        self.createdAt = createdAt
    }

    /// The stored user; `nil` only for a row this code could not have written.
    var record: SyncUserRecord? {
        guard let id, let uid = AccountUID(hex: uid) else { return nil }
        return SyncUserRecord(
            id: id, uid: uid, generation: generation, keysChangedAt: keysChangedAt, clientState: clientState,
            createdAt: createdAt, replacedAt: replacedAt)
    }
}
