import FxACore
import Foundation

/// A row of `account_emails`: one secondary address of one account
/// (``SecondaryEmail``).
struct SecondaryEmailRow: TableRow {
    static let table = "account_emails"

    var id: String
    var uid: String
    var email: String
    var normalizedEmail: String
    var verified: Bool
    var createdAt: Date
    var verifiedAt: Date?

    /// A new row with a fresh id.
    init(uid: AccountUID, email: String, verified: Bool, createdAt: Date) {
        id = UUID().uuidString.lowercased()
        self.uid = uid.hex
        self.email = email
        normalizedEmail = EmailAddress.normalize(email)
        self.verified = verified
        self.createdAt = createdAt
        verifiedAt = verified ? createdAt : nil
    }

    /// The stored address.
    var record: SecondaryEmail { SecondaryEmail(email: email, verified: verified, createdAt: createdAt) }
}
