import FluentKit
import FxACore
import Foundation

/// The `auth_tokens` table: every kind of auth-API token.
final class TokenModel: Model, @unchecked Sendable {
    static let schema = "auth_tokens"

    @ID(custom: "id_hash", generatedBy: .user) var id: Data?
    @Field(key: "kind") var kind: String
    @Field(key: "uid") var uid: String
    @Field(key: "wrapped_keys") var wrappedKeys: Data
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "verified") var verified: Bool
    @OptionalField(key: "stretch_version") var stretchVersion: Int?
    @OptionalField(key: "parent_id_hash") var parentIDHash: Data?
    @OptionalField(key: "sealed_key_bundle") var sealedKeyBundle: Data?

    init() {}

    init(_ token: StoredToken) {
        id = token.idHash
        kind = token.kind.rawValue
        uid = token.uid.hex
        wrappedKeys = token.wrappedKeys
        createdAt = token.createdAt
        verified = token.verified
        stretchVersion = token.stretchVersion?.rawValue
        parentIDHash = token.parentIDHash
        sealedKeyBundle = token.sealedKeyBundle
    }

    var token: StoredToken? {
        guard let id, let kind = FxATokenKind(rawValue: kind), let uid = AccountUID(hex: uid) else { return nil }
        return StoredToken(
            idHash: id, kind: kind, uid: uid, wrappedKeys: wrappedKeys, createdAt: createdAt, verified: verified,
            stretchVersion: stretchVersion.flatMap(KeyStretchVersion.init(rawValue:)), parentIDHash: parentIDHash,
            sealedKeyBundle: sealedKeyBundle)
    }
}

/// Creates `auth_tokens`, indexed by account for "delete every token".
struct CreateAuthTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TokenModel.schema)
            .field("id_hash", .data, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("uid", .string, .required)
            .field("wrapped_keys", .data, .required)
            .field("created_at", .datetime, .required)
            .field("verified", .bool, .required)
            .field("stretch_version", .int)
            .field("parent_id_hash", .data)
            .field("sealed_key_bundle", .data)
            .create()
        try await sqlDatabase(database).create(index: "auth_tokens_uid_idx").on(TokenModel.schema).column("uid").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TokenModel.schema).delete()
    }
}
