import FluentKit
import Foundation

/// ``SigningKeyStore`` on SQLite or PostgreSQL through Fluent.
public struct FluentSigningKeyStore: SigningKeyStore {
    private let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func publishedKeys() async throws -> [StoredSigningKey] {
        let rows = try await SigningKeyRecord.query(on: database.handle()).all()
        return rows.compactMap(\.value).sorted { lhs, rhs in
            lhs.status == rhs.status ? lhs.createdAt > rhs.createdAt : lhs.status == .current
        }
    }

    public func insertCurrentIfAbsent(_ candidate: StoredSigningKey) async throws -> StoredSigningKey {
        if let existing = try await current() {
            return existing
        }
        var key = candidate
        key.status = .current
        do {
            try await SigningKeyRecord(key).create(on: database.handle())
            return key
        } catch {
            // Lost a race with another process: the unique index refused a
            // second current key, so the winner's key is the one to use.
            if let winner = try await current() { return winner }
            throw error
        }
    }

    public func rotate(to newKey: StoredSigningKey) async throws {
        var promoted = newKey
        promoted.status = .current
        let key = promoted
        try await database.handle().transaction { tx in
            try await SigningKeyRecord.query(on: tx)
                .filter(\.$status == SigningKeyStatus.previous.rawValue)
                .delete()
            try await SigningKeyRecord.query(on: tx)
                .filter(\.$status == SigningKeyStatus.current.rawValue)
                .set(\.$status, to: SigningKeyStatus.previous.rawValue)
                .update()
            try await SigningKeyRecord(key).create(on: tx)
        }
    }

    private func current() async throws -> StoredSigningKey? {
        try await SigningKeyRecord.query(on: database.handle())
            .filter(\.$status == SigningKeyStatus.current.rawValue)
            .first()?.value
    }
}
