import FxACore
import Foundation

/// What the profile API tells relying parties about an account. Kept on
/// the account's own row (one account, one profile; deleting the account
/// deletes it), apart from the avatar image itself.
public struct ProfileRecord: Sendable, Equatable {
    public var uid: AccountUID
    /// The primary email.
    public var email: String
    /// The BCP 47 language list the browser sent at sign-up (FxA keeps its
    /// `Accept-Language`), if any.
    public var locale: String?
    public var displayName: String?
    /// The current uploaded avatar; `nil` means the default one.
    public var avatarID: AvatarID?
    /// When anything above last changed (the account's creation until then):
    /// feeds `Last-Modified` and lets RPs order what they hear.
    public var changedAt: Date

    public init(
        uid: AccountUID, email: String, locale: String?, displayName: String?, avatarID: AvatarID?, changedAt: Date
    ) {
        self.uid = uid
        self.email = email
        self.locale = locale
        self.displayName = displayName
        self.avatarID = avatarID
        self.changedAt = changedAt
    }
}

/// An uploaded avatar image, stored in the database so that every server
/// instance can serve it with no shared file system.
public struct AvatarImage: Sendable, Equatable {
    public var id: AvatarID
    public var uid: AccountUID
    public var type: AvatarImageType
    public var bytes: Data
    public var createdAt: Date

    public init(id: AvatarID, uid: AccountUID, type: AvatarImageType, bytes: Data, createdAt: Date) {
        self.id = id
        self.uid = uid
        self.type = type
        self.bytes = bytes
        self.createdAt = createdAt
    }
}

/// An access token together with the profile of its account: what every
/// profile request needs, read in one statement.
public struct TokenProfile: Sendable, Equatable {
    public var token: OAuthTokenRecord
    public var profile: ProfileRecord

    public init(token: OAuthTokenRecord, profile: ProfileRecord) {
        self.token = token
        self.profile = profile
    }
}

/// Persistence of profiles and avatars. Every change takes the
/// ``OutboxEvent`` (profile-change) to record in the same transaction, so
/// relying parties hear about exactly the changes that were kept.
public protocol ProfileStore: Sendable {
    /// The token with hash `accessTokenHash` and its account's profile;
    /// `nil` when there is no such token or its account is gone.
    func profile(accessTokenHash: TokenHash) async throws -> TokenProfile?

    func profile(uid: AccountUID) async throws -> ProfileRecord?

    /// Sets (or, with `nil`, clears) the display name.
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown uid.
    func setDisplayName(_ name: String?, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws

    /// Makes `image` the account's avatar, deleting the one it replaces.
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown uid.
    func setAvatar(_ image: AvatarImage, at date: Date, recording event: OutboxEvent) async throws

    /// Deletes avatar `id` if it belongs to `uid` (the account falls back to
    /// the default avatar); `false`, with nothing recorded, otherwise.
    func deleteAvatar(id: AvatarID, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws -> Bool

    /// The image to serve for `id`.
    func avatar(id: AvatarID) async throws -> AvatarImage?
}
