import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    static func sampleAvatar(_ uid: AccountUID, at seconds: TimeInterval = 1_700_000_100) -> AvatarImage {
        AvatarImage(
            id: .random(), uid: uid, type: .png, bytes: Data([0x89, 0x50, 0x4E, 0x47]) + SecureRandom.bytes(64),
            createdAt: Date(timeIntervalSince1970: seconds))
    }

    static func profileChange(_ uid: AccountUID, at seconds: TimeInterval) -> OutboxEvent {
        OutboxEvent(uid: uid, kind: .profileChange, occurredAt: Date(timeIntervalSince1970: seconds))
    }

    /// ``ProfileStore``.
    static let profileCases: [ConformanceCase] = [
        ConformanceCase("profiles: a new account has an empty profile dated at its creation, with its sign-up locale") { stores in
            var account = sampleAccount()
            account.locale = "de-DE,de;q=0.8,en;q=0.5"
            try await stores.accounts.create(account)
            let profile = try await stores.profiles.profile(uid: account.uid)
            try requireEqual(profile, ProfileRecord(
                uid: account.uid, email: account.email, locale: account.locale, displayName: nil, avatarID: nil,
                changedAt: account.createdAt), "profile")
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.locale, account.locale, "account locale")
            try requireEqual(try await stores.profiles.profile(uid: .random()), nil, "unknown uid")
        },
        ConformanceCase("profiles: a display name is set and cleared, each time with its event, atomically") { stores in
            let account = sampleAccount()
            try await stores.accounts.create(account)
            let set = profileChange(account.uid, at: 1_700_000_200)
            try await stores.profiles.setDisplayName("Ada ✨ Lovelace", uid: account.uid, at: set.occurredAt, recording: set)
            var profile = try await stores.profiles.profile(uid: account.uid)
            try requireEqual(profile?.displayName, "Ada ✨ Lovelace", "name")
            try requireEqual(profile?.changedAt, set.occurredAt, "changed at")
            let cleared = profileChange(account.uid, at: 1_700_000_300)
            try await stores.profiles.setDisplayName(nil, uid: account.uid, at: cleared.occurredAt, recording: cleared)
            profile = try await stores.profiles.profile(uid: account.uid)
            try requireEqual(profile?.displayName, nil, "cleared")
            try requireEqual(try await stores.outbox.events(uid: account.uid), [set, cleared], "outbox")

            let stranger = AccountUID.random()
            var refused = false
            do {
                try await stores.profiles.setDisplayName("x", uid: stranger, at: Date(), recording: profileChange(stranger, at: 1))
            } catch FxAStoreError.notFound {
                refused = true
            }
            try require(refused, "unknown uid accepted")
            try requireEqual(try await stores.outbox.events(uid: stranger), [], "no event for an unknown uid")
        },
        ConformanceCase("profiles: a new avatar replaces the old one; deletion is the owner's only and falls back to the default") { stores in
            let account = sampleAccount()
            let other = sampleAccount("other@example.org")
            try await stores.accounts.create(account)
            try await stores.accounts.create(other)
            let first = sampleAvatar(account.uid)
            try await stores.profiles.setAvatar(first, at: first.createdAt, recording: profileChange(account.uid, at: 1_700_000_100))
            try requireEqual(try await stores.profiles.avatar(id: first.id), first, "first avatar reads back")
            let second = sampleAvatar(account.uid, at: 1_700_000_200)
            try await stores.profiles.setAvatar(second, at: second.createdAt, recording: profileChange(account.uid, at: 1_700_000_200))
            try requireEqual(try await stores.profiles.avatar(id: first.id), nil, "replaced avatar is gone")
            try requireEqual(try await stores.profiles.profile(uid: account.uid)?.avatarID, second.id, "current avatar")

            let theirs = try await stores.profiles.deleteAvatar(
                id: second.id, uid: other.uid, at: Date(timeIntervalSince1970: 1_700_000_250),
                recording: profileChange(other.uid, at: 1_700_000_250))
            try require(!theirs, "another account deleted the avatar")
            try requireEqual(try await stores.outbox.events(uid: other.uid), [], "no event for a refused deletion")
            try requireEqual(try await stores.profiles.avatar(id: second.id), second, "still there")

            let deleted = try await stores.profiles.deleteAvatar(
                id: second.id, uid: account.uid, at: Date(timeIntervalSince1970: 1_700_000_300),
                recording: profileChange(account.uid, at: 1_700_000_300))
            try require(deleted, "owner's deletion refused")
            let profile = try await stores.profiles.profile(uid: account.uid)
            try requireEqual(profile?.avatarID, nil, "default avatar again")
            try requireEqual(profile?.changedAt, Date(timeIntervalSince1970: 1_700_000_300), "changed at")
            try requireEqual(try await stores.profiles.avatar(id: second.id), nil, "image gone")
            try requireEqual(try await stores.outbox.events(uid: account.uid).count, 3, "three events")
            let again = try await stores.profiles.deleteAvatar(
                id: second.id, uid: account.uid, at: Date(), recording: profileChange(account.uid, at: 1_700_000_400))
            try require(!again, "deleted twice")
        },
        ConformanceCase("profiles: an access token reads with its account's profile in one lookup; orphans and strangers read nothing") { stores in
            var account = sampleAccount()
            account.locale = "fr"
            try await stores.accounts.create(account)
            try await stores.profiles.setDisplayName("Ada", uid: account.uid, at: Date(timeIntervalSince1970: 1_700_000_200),
                                                     recording: profileChange(account.uid, at: 1_700_000_200))
            let token = sampleOAuthToken(.access, uid: account.uid)
            try await stores.oauthGrants.insertToken(token)
            let found = try await stores.profiles.profile(accessTokenHash: token.tokenHash)
            try requireEqual(found?.token, token, "token, every field")
            try requireEqual(found?.profile, ProfileRecord(
                uid: account.uid, email: account.email, locale: "fr", displayName: "Ada", avatarID: nil,
                changedAt: Date(timeIntervalSince1970: 1_700_000_200)), "profile")
            try requireEqual(try await stores.profiles.profile(accessTokenHash: TokenHash.random()), nil, "unknown token")
            let orphan = sampleOAuthToken(.access)
            try await stores.oauthGrants.insertToken(orphan)
            try requireEqual(try await stores.profiles.profile(accessTokenHash: orphan.tokenHash), nil, "token without account")
        },
        ConformanceCase("accounts: deletion also removes OAuth codes, OAuth tokens and the avatar") { stores in
            let account = sampleAccount()
            let other = sampleAccount("bystander@example.org")
            try await stores.accounts.create(account)
            try await stores.accounts.create(other)
            let access = sampleOAuthToken(.access, uid: account.uid)
            let refresh = sampleOAuthToken(.refresh, uid: account.uid)
            let othersToken = sampleOAuthToken(.access, uid: other.uid)
            for token in [access, refresh, othersToken] { try await stores.oauthGrants.insertToken(token) }
            let code = sampleCode(uid: account.uid)
            try await stores.oauthGrants.insertCode(code)
            let avatar = sampleAvatar(account.uid)
            try await stores.profiles.setAvatar(avatar, at: avatar.createdAt, recording: profileChange(account.uid, at: 1_700_000_100))

            try await stores.accounts.delete(
                uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))

            try requireEqual(try await stores.oauthGrants.token(hash: access.tokenHash), nil, "access token")
            try requireEqual(try await stores.oauthGrants.token(hash: refresh.tokenHash), nil, "refresh token")
            try requireEqual(try await stores.oauthGrants.redeemCode(hash: code.codeHash, at: Date()), .unknown, "code")
            try requireEqual(try await stores.profiles.avatar(id: avatar.id), nil, "avatar")
            try requireEqual(try await stores.oauthGrants.token(hash: othersToken.tokenHash), othersToken, "bystander's token")
        },
    ]
}
