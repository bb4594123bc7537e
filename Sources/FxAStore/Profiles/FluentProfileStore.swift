import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``ProfileStore`` on the `accounts` and `avatars` tables. The read that
/// every profile request makes (token + profile) is one plain-SQL join on
/// the read connections, like the token lookup of `/v1/verify`.
public struct FluentProfileStore: ProfileStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    static let profileColumns =
        "a.uid AS account_uid, COALESCE(a.primary_email, a.email) AS email, a.locale, a.display_name, a.avatar_id, a.profile_changed_at, a.created_at AS account_created_at"

    public func profile(accessTokenHash: Data) async throws -> TokenProfile? {
        let tokenColumns = OAuthGrantSQL.tokenColumns.split(separator: ", ").map { "t.\($0)" }.joined(separator: ", ")
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: tokenColumns), \(unsafeRaw: Self.profileColumns) \
            FROM oauth_tokens t JOIN accounts a ON a.uid = t.uid WHERE t.token_hash = \(bind: accessTokenHash)
            """
        guard let row = try await database.readSQL().raw(query).first(),
              let token = try OAuthGrantSQL.token(from: row), let profile = try Self.profile(from: row)
        else { return nil }
        return TokenProfile(token: token, profile: profile)
    }

    public func profile(uid: AccountUID) async throws -> ProfileRecord? {
        let query: SQLQueryString = "SELECT \(unsafeRaw: Self.profileColumns) FROM accounts a WHERE a.uid = \(bind: uid.hex)"
        guard let row = try await database.readSQL().raw(query).first() else { return nil }
        return try Self.profile(from: row)
    }

    public func setDisplayName(_ name: String?, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            let updated = try await sqlDatabase(tx).raw("""
                UPDATE accounts SET display_name = \(bind: name), profile_changed_at = \(bind: date) \
                WHERE uid = \(bind: uid.hex) RETURNING uid
                """).first()
            guard updated != nil else { throw FxAStoreError.notFound }
            try await OutboxSQL.record(event, on: tx)
        }
    }

    public func setAvatar(_ image: AvatarImage, at date: Date, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            let updated = try await sql.raw("""
                UPDATE accounts SET avatar_id = \(bind: image.id.hex), profile_changed_at = \(bind: date) \
                WHERE uid = \(bind: image.uid.hex) RETURNING uid
                """).first()
            guard updated != nil else { throw FxAStoreError.notFound }
            try await sql.raw("DELETE FROM avatars WHERE uid = \(bind: image.uid.hex)").run()
            try await sql.raw("""
                INSERT INTO avatars (id, uid, content_type, bytes, created_at) VALUES (\(bind: image.id.hex), \
                \(bind: image.uid.hex), \(bind: image.type.mimeType), \(bind: image.bytes), \(bind: image.createdAt))
                """).run()
            try await OutboxSQL.record(event, on: tx)
        }
    }

    public func deleteAvatar(id: AvatarID, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            let deleted = try await sql.raw("""
                DELETE FROM avatars WHERE id = \(bind: id.hex) AND uid = \(bind: uid.hex) RETURNING id
                """).first()
            guard deleted != nil else { return false }
            try await sql.raw("""
                UPDATE accounts SET avatar_id = NULL, profile_changed_at = \(bind: date) WHERE uid = \(bind: uid.hex)
                """).run()
            try await OutboxSQL.record(event, on: tx)
            return true
        }
    }

    public func avatar(id: AvatarID) async throws -> AvatarImage? {
        let query: SQLQueryString = "SELECT id, uid, content_type, bytes, created_at FROM avatars WHERE id = \(bind: id.hex)"
        guard let row = try await database.readSQL().raw(query).first(),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self)),
              let type = AvatarImageType(rawValue: try row.decode(column: "content_type", as: String.self))
        else { return nil }
        return AvatarImage(
            id: id, uid: uid, type: type, bytes: try row.decode(column: "bytes", as: Data.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    static func profile(from row: any SQLRow) throws -> ProfileRecord? {
        guard let uid = AccountUID(hex: try row.decode(column: "account_uid", as: String.self)) else { return nil }
        let createdAt = try row.decode(column: "account_created_at", as: Date.self)
        return ProfileRecord(
            uid: uid, email: try row.decode(column: "email", as: String.self),
            locale: try row.decode(column: "locale", as: String?.self),
            displayName: try row.decode(column: "display_name", as: String?.self),
            avatarID: try row.decode(column: "avatar_id", as: String?.self).flatMap { AvatarID(hex: $0) },
            changedAt: try row.decode(column: "profile_changed_at", as: Date?.self) ?? createdAt)
    }
}
