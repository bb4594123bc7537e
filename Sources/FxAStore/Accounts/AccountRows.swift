import FxACore
import Foundation

/// A row of `accounts`: the account (``AccountRecord``) with its profile
/// (``ProfileRecord``) and the capabilities the operator granted.
struct AccountRow: TableRow {
    static let table = "accounts"

    var uid: String
    var email: String
    var normalizedEmail: String
    var emailVerified: Bool
    var ka: Data
    var authSalt: Data
    var verifyHash: Data
    var wrapWrapKb: Data
    var clientSalt: String?
    var authSaltV2: Data?
    var verifyHashV2: Data?
    var wrapWrapKbV2: Data?
    var createdAt: Date
    var verifierSetAt: Date
    /// `nil` only until ``AddAccountKeysChangedAt`` has backfilled the row,
    /// or for a row an older binary wrote during a rolling upgrade.
    var keysChangedAt: Date?
    var locale: String?
    var displayName: String?
    var avatarID: String?
    var profileChangedAt: Date?
    /// A JSON list of strings; `nil`: none was ever granted.
    var capabilities: String?
    /// Set once a secondary address was made primary; `nil`: `email` is.
    var primaryEmail: String?

    /// A new account's row: no profile and no capabilities yet.
    init(_ record: AccountRecord) {
        uid = record.uid.hex
        email = record.email
        normalizedEmail = record.normalizedEmail
        emailVerified = record.emailVerified
        ka = record.kA
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
        primaryEmail = record.primaryEmail == record.email ? nil : record.primaryEmail
    }

    /// The address mail goes to (see ``AccountRecord/primaryEmail``).
    var currentPrimaryEmail: String { primaryEmail ?? email }

    /// The stored account; `nil` only for a row this code could not have written.
    var record: AccountRecord? {
        guard let uid = AccountUID(hex: uid) else { return nil }
        var v2: AccountRecord.CredentialsV2?
        if let clientSalt, let salt = ClientSalt(rawValue: clientSalt), let authSaltV2, let verifyHashV2, let wrapWrapKbV2 {
            v2 = .init(clientSalt: salt, credentials: .init(authSalt: authSaltV2, verifyHash: verifyHashV2, wrapWrapKb: wrapWrapKbV2))
        }
        var value = AccountRecord(
            uid: uid, email: email, emailVerified: emailVerified, kA: ka,
            v1: .init(authSalt: authSalt, verifyHash: verifyHash, wrapWrapKb: wrapWrapKb), v2: v2,
            createdAt: createdAt, verifierSetAt: verifierSetAt, locale: locale,
            keysChangedAt: keysChangedAt ?? verifierSetAt)
        value.primaryEmail = currentPrimaryEmail
        value.normalizedEmail = normalizedEmail
        return value
    }

    /// The granted capabilities, sorted; none when never set.
    var capabilityList: [String] {
        guard let capabilities, let list = try? JSONDecoder().decode([String].self, from: Data(capabilities.utf8)) else { return [] }
        return list.sorted()
    }
}
