import FxACore
import Foundation

/// A row of `avatars`: an uploaded image (``AvatarImage``), looked up by id
/// (serving) and by uid (replacing, deleting the account).
struct AvatarRow: TableRow {
    static let table = "avatars"

    var id: String
    var uid: String
    var contentType: String
    var bytes: Data
    var createdAt: Date

    init(_ image: AvatarImage) {
        id = image.id.hex
        uid = image.uid.hex
        contentType = image.type.mimeType
        bytes = image.bytes
        createdAt = image.createdAt
    }

    /// The stored image; `nil` for a type this version does not serve.
    var record: AvatarImage? {
        guard let id = AvatarID(hex: id), let uid = AccountUID(hex: uid), let type = AvatarImageType(rawValue: contentType)
        else { return nil }
        return AvatarImage(id: id, uid: uid, type: type, bytes: bytes, createdAt: createdAt)
    }
}

/// The profile's columns of an `accounts` row (``AccountRow``), selected
/// as `account_<column>` so they can sit beside a token's columns in the
/// one-statement join that every profile request makes.
struct AccountProfileColumns: Decodable {
    /// The prefix of each selected column.
    static let prefix = "account_"
    /// The select list, for `accounts` (by its name) in any query.
    static let selectList = ["uid", "email", "primary_email", "locale", "display_name", "avatar_id", "profile_changed_at", "created_at"]
        .map { "accounts.\($0) AS \(prefix)\($0)" }.joined(separator: ", ")

    var uid: String
    var email: String
    var primaryEmail: String?
    var locale: String?
    var displayName: String?
    var avatarID: String?
    var profileChangedAt: Date?
    var createdAt: Date

    /// The profile; `nil` only for a row this code could not have written.
    var record: ProfileRecord? {
        guard let uid = AccountUID(hex: uid) else { return nil }
        return ProfileRecord(
            uid: uid, email: primaryEmail ?? email, locale: locale, displayName: displayName,
            avatarID: avatarID.flatMap { AvatarID(hex: $0) }, changedAt: profileChangedAt ?? createdAt)
    }
}
