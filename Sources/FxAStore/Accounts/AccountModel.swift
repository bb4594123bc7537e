import FluentKit
import FxACore
import Foundation

/// The `accounts` table.
final class AccountModel: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(custom: "uid", generatedBy: .user) var id: String?
    @Field(key: "email") var email: String
    @Field(key: "normalized_email") var normalizedEmail: String
    @Field(key: "email_verified") var emailVerified: Bool
    @Field(key: "ka") var kA: Data
    @Field(key: "auth_salt") var authSalt: Data
    @Field(key: "verify_hash") var verifyHash: Data
    @Field(key: "wrap_wrap_kb") var wrapWrapKb: Data
    @OptionalField(key: "client_salt") var clientSalt: String?
    @OptionalField(key: "auth_salt_v2") var authSaltV2: Data?
    @OptionalField(key: "verify_hash_v2") var verifyHashV2: Data?
    @OptionalField(key: "wrap_wrap_kb_v2") var wrapWrapKbV2: Data?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "verifier_set_at") var verifierSetAt: Date
    /// `nil` only until ``AddAccountKeysChangedAt`` has backfilled the row.
    @OptionalField(key: "keys_changed_at") var keysChangedAt: Date?
    @OptionalField(key: "locale") var locale: String?
    @OptionalField(key: "display_name") var displayName: String?
    @OptionalField(key: "avatar_id") var avatarID: String?
    @OptionalField(key: "profile_changed_at") var profileChangedAt: Date?
    /// Set once a secondary address was made primary; `nil`: `email` is.
    @OptionalField(key: "primary_email") var primaryEmailColumn: String?

    /// The primary address (see ``AccountRecord/primaryEmail``).
    var primaryEmail: String {
        get { primaryEmailColumn ?? email }
        set { primaryEmailColumn = newValue == email ? nil : newValue }
    }

    init() {}

    init(_ record: AccountRecord) {
        id = record.uid.hex
        email = record.email
        normalizedEmail = record.normalizedEmail
        emailVerified = record.emailVerified
        kA = record.kA
        authSalt = record.v1.authSalt
        verifyHash = record.v1.verifyHash
        wrapWrapKb = record.v1.wrapWrapKb
        clientSalt = record.v2?.clientSalt.rawValue
        authSaltV2 = record.v2?.credentials.authSalt
        verifyHashV2 = record.v2?.credentials.verifyHash
        wrapWrapKbV2 = record.v2?.credentials.wrapWrapKb
        createdAt = record.createdAt
        verifierSetAt = record.verifierSetAt
        keysChangedAt = record.keysChangedAt
        locale = record.locale
    }

    /// The stored value; `nil` only for a row this code could not have written.
    var record: AccountRecord? {
        guard let id, let uid = AccountUID(hex: id) else { return nil }
        var v2: AccountRecord.CredentialsV2?
        if let clientSalt, let salt = ClientSalt(rawValue: clientSalt), let authSaltV2, let verifyHashV2, let wrapWrapKbV2 {
            v2 = .init(clientSalt: salt, credentials: .init(authSalt: authSaltV2, verifyHash: verifyHashV2, wrapWrapKb: wrapWrapKbV2))
        }
        var value = AccountRecord(
            uid: uid, email: email, emailVerified: emailVerified, kA: kA,
            v1: .init(authSalt: authSalt, verifyHash: verifyHash, wrapWrapKb: wrapWrapKb), v2: v2,
            createdAt: createdAt, verifierSetAt: verifierSetAt, locale: locale,
            keysChangedAt: keysChangedAt ?? verifierSetAt)
        value.primaryEmail = primaryEmail
        value.normalizedEmail = normalizedEmail
        return value
    }
}

/// Creates `accounts` with a unique index on the normalised email.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema)
            .field("uid", .string, .identifier(auto: false))
            .field("email", .string, .required)
            .field("normalized_email", .string, .required)
            .field("email_verified", .bool, .required)
            .field("ka", .data, .required)
            .field("auth_salt", .data, .required)
            .field("verify_hash", .data, .required)
            .field("wrap_wrap_kb", .data, .required)
            .field("client_salt", .string)
            .field("auth_salt_v2", .data)
            .field("verify_hash_v2", .data)
            .field("wrap_wrap_kb_v2", .data)
            .field("created_at", .datetime, .required)
            .field("verifier_set_at", .datetime, .required)
            .unique(on: "normalized_email", name: "accounts_normalized_email_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).delete()
    }
}
