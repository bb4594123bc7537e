import FluentKit
import FxACore
import Foundation

/// The `oauth_codes` table.
final class OAuthCodeModel: Model, @unchecked Sendable {
    static let schema = "oauth_codes"

    @ID(custom: "code_hash", generatedBy: .user) var id: Data?
    @Field(key: "client_id") var clientID: String
    @Field(key: "uid") var uid: String
    @Field(key: "scope") var scope: String
    @OptionalField(key: "redirect_uri") var redirectURI: String?
    @OptionalField(key: "code_challenge") var codeChallenge: String?
    @OptionalField(key: "nonce") var nonce: String?
    @Field(key: "offline") var offline: Bool
    @Field(key: "auth_at") var authAt: Date
    @Field(key: "amr") var amr: [String]
    @Field(key: "aal") var aal: Int
    @OptionalField(key: "keys_jwe") var keysJWE: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(_ code: OAuthCodeRecord) {
        id = code.codeHash
        clientID = code.clientID.hex
        uid = code.uid.hex
        scope = code.scope.description
        redirectURI = code.redirectURI
        codeChallenge = code.codeChallenge
        nonce = code.nonce
        offline = code.offline
        authAt = code.authAt
        amr = code.amr
        aal = code.aal
        keysJWE = code.keysJWE
        createdAt = code.createdAt
        usedAt = code.usedAt
    }

    var record: OAuthCodeRecord? {
        guard let id, let clientID = OAuthClientID(hex: clientID), let uid = AccountUID(hex: uid),
              let scope = OAuthScopeSet(parsing: scope, maximumLength: .max)
        else { return nil }
        return OAuthCodeRecord(
            codeHash: id, clientID: clientID, uid: uid, scope: scope, redirectURI: redirectURI,
            codeChallenge: codeChallenge, nonce: nonce, offline: offline, authAt: authAt, amr: amr, aal: aal,
            keysJWE: keysJWE, createdAt: createdAt, usedAt: usedAt)
    }
}

/// The `oauth_tokens` table: access and refresh tokens.
final class OAuthTokenModel: Model, @unchecked Sendable {
    static let schema = "oauth_tokens"

    @ID(custom: "token_hash", generatedBy: .user) var id: Data?
    @Field(key: "kind") var kind: String
    @Field(key: "client_id") var clientID: String
    @Field(key: "uid") var uid: String
    @Field(key: "scope") var scope: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Field(key: "last_used_at") var lastUsedAt: Date
    @OptionalField(key: "parent_hash") var parentHash: Data?
    @OptionalField(key: "grant_code_hash") var grantCodeHash: Data?
    @OptionalField(key: "auth_at") var authAt: Date?
    @OptionalField(key: "session_id_hash") var sessionIDHash: Data?

    init() {}

    init(_ token: OAuthTokenRecord) {
        sessionIDHash = token.sessionIDHash
        id = token.tokenHash
        kind = token.kind.rawValue
        clientID = token.clientID.hex
        uid = token.uid.hex
        scope = token.scope.description
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        lastUsedAt = token.lastUsedAt
        parentHash = token.parentHash
        grantCodeHash = token.grantCodeHash
        authAt = token.authAt
    }

    var record: OAuthTokenRecord? {
        guard let id, let kind = OAuthTokenRecord.Kind(rawValue: kind), let clientID = OAuthClientID(hex: clientID),
              let uid = AccountUID(hex: uid), let scope = OAuthScopeSet(parsing: scope, maximumLength: .max)
        else { return nil }
        return OAuthTokenRecord(
            tokenHash: id, kind: kind, clientID: clientID, uid: uid, scope: scope, createdAt: createdAt,
            expiresAt: expiresAt, lastUsedAt: lastUsedAt, parentHash: parentHash, grantCodeHash: grantCodeHash,
            authAt: authAt, sessionIDHash: sessionIDHash)
    }
}

/// Creates `oauth_codes` and `oauth_tokens`.
struct CreateOAuthGrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthCodeModel.schema)
            .field("code_hash", .data, .identifier(auto: false))
            .field("client_id", .string, .required)
            .field("uid", .string, .required)
            .field("scope", .string, .required)
            .field("redirect_uri", .string)
            .field("code_challenge", .string)
            .field("nonce", .string)
            .field("offline", .bool, .required)
            .field("auth_at", .datetime, .required)
            .field("amr", .array(of: .string), .required)
            .field("aal", .int, .required)
            .field("keys_jwe", .string)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema(OAuthTokenModel.schema)
            .field("token_hash", .data, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("client_id", .string, .required)
            .field("uid", .string, .required)
            .field("scope", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime, .required)
            .field("parent_hash", .data)
            .field("grant_code_hash", .data)
            .field("auth_at", .datetime)
            .create()
        let sql = sqlDatabase(database)
        try await sql.create(index: "oauth_tokens_uid").on(OAuthTokenModel.schema).column("uid").run()
        try await sql.create(index: "oauth_tokens_parent").on(OAuthTokenModel.schema).column("parent_hash").run()
        try await sql.create(index: "oauth_tokens_grant_code").on(OAuthTokenModel.schema).column("grant_code_hash").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthTokenModel.schema).delete()
        try await database.schema(OAuthCodeModel.schema).delete()
    }
}
