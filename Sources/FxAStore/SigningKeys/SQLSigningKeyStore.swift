import Foundation
import SQLKit

/// ``SigningKeyStore`` on the `signing_keys` table (``SigningKeyRow``).
public struct SQLSigningKeyStore: SigningKeyStore {
    private let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func publishedKeys() async throws -> [StoredSigningKey] {
        let rows = try await database.sql().selectRows(SigningKeyRow.self).rows(SigningKeyRow.self)
        return rows.compactMap(\.record).sorted { lhs, rhs in
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
            try await database.sql().insert(SigningKeyRow(key))
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
        try await database.transaction { sql in
            try await sql.delete(from: SigningKeyRow.table)
                .where("status", .equal, SigningKeyStatus.previous.rawValue)
                .run()
            try await sql.update(SigningKeyRow.table)
                .set("status", to: SigningKeyStatus.previous.rawValue)
                .where("status", .equal, SigningKeyStatus.current.rawValue)
                .run()
            try await sql.insert(SigningKeyRow(key))
        }
    }

    private func current() async throws -> StoredSigningKey? {
        try await database.sql().selectRows(SigningKeyRow.self)
            .where("status", .equal, SigningKeyStatus.current.rawValue)
            .row(SigningKeyRow.self)?.record
    }
}
