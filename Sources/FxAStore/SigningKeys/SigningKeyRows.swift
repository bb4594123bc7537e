import Foundation

/// A row of `signing_keys`: one published RS256 key (``StoredSigningKey``).
struct SigningKeyRow: TableRow {
    static let table = "signing_keys"

    var kid: String
    var pem: String
    var status: String
    var createdAt: Date

    init(_ key: StoredSigningKey) {
        kid = key.kid
        pem = key.pem
        status = key.status.rawValue
        createdAt = key.createdAt
    }

    /// The stored key, or `nil` for a status this version does not know
    /// (written by a newer version).
    var record: StoredSigningKey? {
        guard let status = SigningKeyStatus(rawValue: status) else { return nil }
        return StoredSigningKey(kid: kid, pem: pem, status: status, createdAt: createdAt)
    }
}
