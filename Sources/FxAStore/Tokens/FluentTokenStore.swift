import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``TokenStore`` through Fluent.
public struct FluentTokenStore: TokenStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func insert(_ token: StoredToken) async throws {
        try await TokenModel(token).create(on: database.handle())
    }

    /// One plain SQL statement: every authenticated request reads its token,
    /// so this skips Fluent's model reflection.
    public func token(idHash: Data) async throws -> StoredToken? {
        let query: SQLQueryString = """
            SELECT kind, uid, wrapped_keys, created_at, verified, stretch_version, parent_id_hash, sealed_key_bundle \
            FROM auth_tokens WHERE id_hash = \(bind: idHash)
            """
        guard let row = try await database.readSQL().raw(query).first(),
              let kind = FxATokenKind(rawValue: try row.decode(column: "kind", as: String.self)),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self))
        else { return nil }
        return StoredToken(
            idHash: idHash, kind: kind, uid: uid, wrappedKeys: try row.decode(column: "wrapped_keys", as: Data.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            verified: try row.decode(column: "verified", as: Bool.self),
            stretchVersion: try row.decode(column: "stretch_version", as: Int?.self).flatMap(KeyStretchVersion.init(rawValue:)),
            parentIDHash: try row.decode(column: "parent_id_hash", as: Data?.self),
            sealedKeyBundle: try row.decode(column: "sealed_key_bundle", as: Data?.self))
    }

    public func consume(idHash: Data) async throws -> StoredToken? {
        let rows = try await database.sql().delete(from: TokenModel.schema)
            .where("id_hash", .equal, SQLBind(idHash))
            .returning(SQLLiteral.all)
            .all(decoding: TokenRow.self)
        return rows.first?.token
    }

    public func delete(idHash: Data) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            try await TokenModel.query(on: tx).filter(\.$id == idHash).delete()
            try await SessionEndingSQL.deleteMintedTokens(session: idHash, on: sqlDatabase(tx))
        }
    }

    public func markVerified(idHash: Data) async throws {
        try await TokenModel.query(on: database.handle())
            .group(.or) { $0.filter(\.$id == idHash).filter(\.$parentIDHash == idHash) }
            .set(\.$verified, to: true)
            .update()
    }

    public func markAllVerified(uid: AccountUID) async throws {
        try await TokenModel.query(on: database.handle())
            .filter(\.$uid == uid.hex)
            .filter(\.$kind ~~ [FxATokenKind.sessionToken.rawValue, FxATokenKind.keyFetchToken.rawValue])
            .set(\.$verified, to: true)
            .update()
    }

    public func tokens(uid: AccountUID, kinds: Set<FxATokenKind>) async throws -> [StoredToken] {
        try await TokenModel.query(on: database.handle())
            .filter(\.$uid == uid.hex)
            .filter(\.$kind ~~ kinds.map(\.rawValue))
            .sort(\.$createdAt)
            .all()
            .compactMap(\.token)
    }
}

/// A row of `auth_tokens` decoded through SQLKit (for `DELETE ... RETURNING`).
private struct TokenRow: Decodable {
    var id_hash: Data
    var kind: String
    var uid: String
    var wrapped_keys: Data
    var created_at: Date
    var verified: Bool
    var stretch_version: Int?
    var parent_id_hash: Data?
    var sealed_key_bundle: Data?

    var token: StoredToken? {
        guard let kind = FxATokenKind(rawValue: kind), let uid = AccountUID(hex: uid) else { return nil }
        return StoredToken(
            idHash: id_hash, kind: kind, uid: uid, wrappedKeys: wrapped_keys, createdAt: created_at, verified: verified,
            stretchVersion: stretch_version.flatMap(KeyStretchVersion.init(rawValue:)), parentIDHash: parent_id_hash,
            sealedKeyBundle: sealed_key_bundle)
    }
}
