import FxACore
import FxAStore
import Foundation

/// Changes to a profile. Each one records a profile-change event for the
/// event broker in the same transaction, so RPs hear about exactly the
/// changes that were kept.
struct ProfileService: Sendable {
    let profiles: any ProfileStore
    let clock: any WallClock

    /// FxA's profile server limit: uploads above 1 MiB are refused.
    static let avatarMaxBytes = 1 << 20
    /// FxA's display-name limit.
    static let displayNameMaxLength = 256

    /// Sets the display name; an empty one clears it. Refuses what FxA
    /// refuses: more than 256 UTF-16 code units (JavaScript's length, which
    /// FxA's limit counts), C0/C1 control characters, line and paragraph
    /// separators, private-use characters and the specials block, which
    /// would otherwise reach RPs' pages and logs.
    func setDisplayName(_ name: String, for uid: AccountUID) async throws {
        guard name.utf16.count <= Self.displayNameMaxLength, DisplaySafeText.allows(name) else {
            throw FxAError.invalidProfileParameter("displayName")
        }
        let now = clock.now()
        try await profiles.setDisplayName(
            name.isEmpty ? nil : name, uid: uid, at: now, recording: Self.profileChange(uid, at: now))
    }

    /// Stores `bytes` as the new avatar when they are a well-formed PNG,
    /// JPEG, GIF or WebP image (by their own structure, whatever the upload
    /// claimed) of at most 4096 pixels a side, with its metadata (EXIF, GPS,
    /// XMP, comments) removed; returns its id.
    func uploadAvatar(_ bytes: Data, for uid: AccountUID) async throws -> AvatarID {
        guard bytes.count <= Self.avatarMaxBytes else { throw FxAError.avatarTooLarge(limit: Self.avatarMaxBytes) }
        let clean: CleanAvatarImage
        do {
            clean = try AvatarImageCleaner.clean(bytes)
        } catch .unsupportedType {
            throw FxAError.unsupportedAvatarImage()
        } catch .malformed {
            throw FxAError.unreadableAvatarImage()
        } catch .tooLarge {
            throw FxAError.avatarDimensionsTooLarge(limit: AvatarImageCleaner.maximumDimension)
        }
        let now = clock.now()
        let image = AvatarImage(id: .random(), uid: uid, type: clean.type, bytes: clean.bytes, createdAt: now)
        try await profiles.setAvatar(image, at: now, recording: Self.profileChange(uid, at: now))
        return image.id
    }

    /// Deletes the account's avatar `id`, answering as FxA does: 404 for an
    /// id that does not exist (any more), 401 for another account's.
    func deleteAvatar(_ id: AvatarID, for uid: AccountUID) async throws {
        guard let image = try await profiles.avatar(id: id) else { throw FxAError.avatarNotFound() }
        guard image.uid == uid else { throw FxAError.profileNotOwned("Avatar not owned by user") }
        let now = clock.now()
        guard try await profiles.deleteAvatar(id: id, uid: uid, at: now, recording: Self.profileChange(uid, at: now)) else {
            throw FxAError.avatarNotFound()  // deleted meanwhile
        }
    }

    static func profileChange(_ uid: AccountUID, at date: Date) -> OutboxEvent {
        OutboxEvent(uid: uid, kind: .profileChange, occurredAt: date)
    }
}
