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

    public func token(idHash: Data) async throws -> StoredToken? {
        try await TokenModel.find(idHash, on: database.handle())?.token
    }

    public func consume(idHash: Data) async throws -> StoredToken? {
        let rows = try await database.sql().delete(from: TokenModel.schema)
            .where("id_hash", .equal, SQLBind(idHash))
            .returning(SQLLiteral.all)
            .all(decoding: TokenRow.self)
        return rows.first?.token
    }

    public func delete(idHash: Data) async throws {
        try await TokenModel.query(on: database.handle()).filter(\.$id == idHash).delete()
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
