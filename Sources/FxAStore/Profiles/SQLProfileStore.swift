import FxACore
import Foundation
import SQLKit

/// ``ProfileStore`` on the `accounts` (``AccountRow``, its profile columns)
/// and `avatars` (``AvatarRow``) tables. The read that every profile
/// request makes (token + profile) is one join on the read connections,
/// like the token lookup of `/v1/verify`.
public struct SQLProfileStore: ProfileStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func profile(accessTokenHash: TokenHash) async throws -> TokenProfile? {
        guard let row = try await database.readSQL().raw("""
            SELECT oauth_tokens.*, \(unsafeRaw: AccountProfileColumns.selectList) FROM oauth_tokens \
            JOIN accounts ON accounts.uid = oauth_tokens.uid WHERE oauth_tokens.token_hash = \(bind: accessTokenHash.bytes)
            """).first(),
            let token = try row.decode(OAuthTokenRow.self).record,
            let profile = try row.decode(AccountProfileColumns.self, prefix: AccountProfileColumns.prefix).record
        else { return nil }
        return TokenProfile(token: token, profile: profile)
    }

    public func profile(uid: AccountUID) async throws -> ProfileRecord? {
        try await database.readSQL().select()
            .column(SQLRaw(AccountProfileColumns.selectList))
            .from(AccountRow.table)
            .where("uid", .equal, uid.hex)
            .first()?
            .decode(AccountProfileColumns.self, prefix: AccountProfileColumns.prefix).record
    }

    /// The event is recorded before the account row is updated: on
    /// PostgreSQL the UPDATE locks that row until COMMIT, so concurrent
    /// changes to one profile wait only for the UPDATE and the COMMIT, not
    /// for the event's inserts as well (bench/events, which changes one
    /// account's name over eight connections). An unknown account still
    /// rolls the event back with the rest. The price: the RPs to tell are
    /// read before the lock, so an RP disconnected in that instant may
    /// still hear of this change (it heard of every earlier one).
    public func setDisplayName(_ name: String?, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            try await OutboxSQL.record(event, on: sql)
            let updated = try await sql.update(AccountRow.table)
                .set("display_name", to: name)
                .set("profile_changed_at", to: date)
                .where("uid", .equal, uid.hex)
                .returning("uid")
                .first()
            guard updated != nil else { throw FxAStoreError.notFound }
        }
    }

    public func setAvatar(_ image: AvatarImage, at date: Date, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            let updated = try await sql.update(AccountRow.table)
                .set("avatar_id", to: image.id.hex)
                .set("profile_changed_at", to: date)
                .where("uid", .equal, image.uid.hex)
                .returning("uid")
                .first()
            guard updated != nil else { throw FxAStoreError.notFound }
            try await sql.delete(from: AvatarRow.table).where("uid", .equal, image.uid.hex).run()
            try await sql.insert(AvatarRow(image))
            try await OutboxSQL.record(event, on: sql)
        }
    }

    public func deleteAvatar(id: AvatarID, uid: AccountUID, at date: Date, recording event: OutboxEvent) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.transaction { sql in
            let deleted = try await sql.delete(from: AvatarRow.table)
                .where("id", .equal, id.hex)
                .where("uid", .equal, uid.hex)
                .returning("id")
                .first()
            guard deleted != nil else { return false }
            try await sql.update(AccountRow.table)
                .set(SQLIdentifier("avatar_id"), to: SQLLiteral.null)
                .set("profile_changed_at", to: date)
                .where("uid", .equal, uid.hex)
                .run()
            try await OutboxSQL.record(event, on: sql)
            return true
        }
    }

    public func avatar(id: AvatarID) async throws -> AvatarImage? {
        try await database.readSQL().row(AvatarRow.self, where: "id", is: id.hex)?.record
    }
}
