import FluentKit
import FxACore
import Foundation
import SQLKit

/// A row of `account_emails`.
final class SecondaryEmailModel: Model, @unchecked Sendable {
    static let schema = "account_emails"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "uid") var uid: String
    @Field(key: "email") var email: String
    @Field(key: "normalized_email") var normalizedEmail: String
    @Field(key: "verified") var verified: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "verified_at") var verifiedAt: Date?

    init() {}

    init(uid: String, email: String, verified: Bool, createdAt: Date) {
        id = UUID().uuidString.lowercased()
        self.uid = uid
        self.email = email
        normalizedEmail = EmailAddress.normalize(email)
        self.verified = verified
        self.createdAt = createdAt
        verifiedAt = verified ? createdAt : nil
    }

    var record: SecondaryEmail { SecondaryEmail(email: email, verified: verified, createdAt: createdAt) }
}

/// `account_emails`: secondary addresses, one row per account and address.
/// Not unique on the address alone: unverified claims may coexist (see
/// ``SecondaryEmailStore``); the store keeps verified ones unique.
struct CreateAccountEmails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SecondaryEmailModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("email", .string, .required)
            .field("normalized_email", .string, .required)
            .field("verified", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("verified_at", .datetime)
            .unique(on: "uid", "normalized_email", name: "account_emails_uid_email_key")
            .create()
        try await sqlDatabase(database).create(index: "account_emails_email").on(SecondaryEmailModel.schema)
            .column("normalized_email").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SecondaryEmailModel.schema).delete()
    }
}
