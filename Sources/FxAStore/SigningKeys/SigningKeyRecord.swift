import FluentKit
import Foundation

/// The `signing_keys` table: one row per published RS256 key.
final class SigningKeyRecord: Model, @unchecked Sendable {
    static let schema = "signing_keys"

    @ID(custom: "kid", generatedBy: .user) var id: String?
    @Field(key: "pem") var pem: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ key: StoredSigningKey) {
        id = key.kid
        pem = key.pem
        status = key.status.rawValue
        createdAt = key.createdAt
    }

    /// The stored value, or `nil` for a row whose status this version does
    /// not know (written by a newer version).
    var value: StoredSigningKey? {
        guard let id, let status = SigningKeyStatus(rawValue: status) else { return nil }
        return StoredSigningKey(kid: id, pem: pem, status: status, createdAt: createdAt)
    }
}
