import FxACore
import Foundation
import SQLKit

/// ``AccountStore`` on the `accounts` table (``AccountRow``), and the
/// transactions that end with an account or its password.
public struct SQLAccountStore: AccountStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func create(_ account: AccountRecord) async throws {
        let sql = try database.sql()
        if try await row(normalizedEmail: account.normalizedEmail, on: sql) != nil {
            throw FxAStoreError.conflict
        }
        do {
            try await sql.insert(AccountRow(account))
        } catch {
            // A concurrent sign-up with the same email won the unique index.
            if try await row(normalizedEmail: account.normalizedEmail, on: sql) != nil {
                throw FxAStoreError.conflict
            }
            throw error
        }
    }

    public func account(uid: AccountUID) async throws -> AccountRecord? {
        try await Self.row(uid: uid, on: database.sql())?.record
    }

    public func accounts(afterEmail: String?, limit: Int) async throws -> [AccountRecord] {
        var query = try database.sql().selectRows(AccountRow.self).orderBy("normalized_email").limit(limit)
        if let afterEmail { query = query.where("normalized_email", .greaterThan, afterEmail) }
        return try await query.rows(AccountRow.self).compactMap(\.record)
    }

    public func account(normalizedEmail: String) async throws -> AccountRecord? {
        try await row(normalizedEmail: normalizedEmail, on: database.sql())?.record
    }

    public func account(anyVerifiedEmail normalizedEmail: String) async throws -> AccountRecord? {
        if let primary = try await account(normalizedEmail: normalizedEmail) { return primary }
        let sql = try database.sql()
        guard let secondary = try await sql.selectRows(SecondaryEmailRow.self)
            .where("normalized_email", .equal, normalizedEmail)
            .where("verified", .equal, true)
            .row(SecondaryEmailRow.self),
            let uid = AccountUID(hex: secondary.uid)
        else { return nil }
        return try await Self.row(uid: uid, on: sql)?.record
    }

    public func markEmailVerified(uid: AccountUID) async throws -> Bool {
        let updated = try await database.sql().update(AccountRow.table)
            .set("email_verified", to: true)
            .where("uid", .equal, uid.hex)
            .returning("uid")
            .all()
        return !updated.isEmpty
    }

    public func replaceCredentials(
        uid: AccountUID, v1: AccountRecord.Credentials, v2: AccountRecord.CredentialsV2?, _ replacement: CredentialReplacement,
        at date: Date, recording event: OutboxEvent
    ) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            guard let row = try await Self.row(uid: uid, on: sql) else { throw FxAStoreError.notFound }
            if case .recoveredReset(let keyIDHash) = replacement {
                // The key that opened kB is spent here, and must still be
                // the account's: a key replaced since would be deleted with
                // a kB the new key does not wrap.
                let spent = try await sql.raw("""
                    DELETE FROM recovery_keys WHERE uid = \(bind: uid.hex) AND id_hash = \(bind: keyIDHash.bytes) RETURNING uid
                    """).first() != nil
                guard spent else { throw FxAStoreError.notFound }
            }
            let update = sql.update(AccountRow.table)
                .set("auth_salt", to: v1.authSalt)
                .set("verify_hash", to: v1.verifyHash)
                .set("wrap_wrap_kb", to: v1.wrapWrapKb)
                .set("client_salt", to: v2?.clientSalt.rawValue)
                .set("auth_salt_v2", to: v2?.credentials.authSalt)
                .set("verify_hash_v2", to: v2?.credentials.verifyHash)
                .set("wrap_wrap_kb_v2", to: v2?.credentials.wrapWrapKb)
                .set("verifier_set_at", to: date)
            switch replacement {
            case .reset(let kA):
                // kB is new, so are the scoped keys.
                update.set("ka", to: kA).set("keys_changed_at", to: date)
            case .change where row.keysChangedAt == nil, .recoveredReset where row.keysChangedAt == nil:
                // A row an older binary wrote: it read as verifier_set_at so
                // far, and kB is unchanged, so it keeps reading that.
                update.set("keys_changed_at", to: row.verifierSetAt)
            case .change, .recoveredReset:
                break
            }
            try await update.where("uid", .equal, uid.hex).run()
            if case .reset = replacement {
                // A reset without the key leaves it wrapping a kB the
                // account no longer has.
                try await sql.delete(from: RecoveryKeyRow.table).where("uid", .equal, uid.hex).run()
            }
            try await sql.delete(from: AuthTokenRow.table).where("uid", .equal, uid.hex).run()
            try await OAuthGrantSQL.endGrants(uid: uid, for: replacement, on: sql)
            try await OutboxSQL.record(event, on: sql)
        }
    }

    public func capabilities(uid: AccountUID) async throws -> [String] {
        try await database.readSQL().selectRows(AccountRow.self)
            .where("uid", .equal, uid.hex)
            .row(AccountRow.self)?.capabilityList ?? []
    }

    public func setCapabilities(
        _ capabilities: [String], uid: AccountUID, recording events: @escaping @Sendable (_ previous: [String]) -> [OutboxEvent]
    ) async throws -> [String] {
        let text = String(decoding: try JSONEncoder().encode(Array(Set(capabilities)).sorted()), as: UTF8.self)
        let isPostgres = database.location.isPostgres
        return try await database.transaction { sql in
            // SQLite has one writer, so the read and the write below are
            // already serialized; PostgreSQL locks the row until commit.
            let select = sql.selectRows(AccountRow.self).where("uid", .equal, uid.hex)
            if isPostgres { select.for(.update) }
            guard let row = try await select.row(AccountRow.self) else { throw FxAStoreError.notFound }
            try await sql.update(AccountRow.table).set("capabilities", to: text).where("uid", .equal, uid.hex).run()
            let previous = row.capabilityList
            for event in events(previous) { try await OutboxSQL.record(event, on: sql) }
            return previous
        }
    }

    public func delete(uid: AccountUID, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        let isPostgres = database.location.isPostgres
        try await database.transaction { sql in
            // The account's row first, as every writer that locks it does
            // (``SQLSyncUserStore/assignSyncUser(uid:at:decide:)``): the
            // other order could deadlock, or let a Sync user be created
            // between this DELETE of `sync_users` and the account's.
            if isPostgres {
                try await sql.raw("SELECT uid FROM accounts WHERE uid = \(bind: uid.hex) FOR UPDATE").run()
            }
            // Its Sync storage, before the Sync users that key it.
            for table in SQLSyncStorageStore.userTables {
                try await sql.raw("""
                    DELETE FROM \(unsafeRaw: table) WHERE user_id IN (SELECT id FROM sync_users WHERE uid = \(bind: uid.hex))
                    """).run()
            }
            for table in [
                AuthTokenRow.table, VerificationCodeRow.table, OAuthTokenRow.table, OAuthCodeRow.table, AvatarRow.table,
                SecondaryEmailRow.table, WebSessionRow.table, DeviceCommandRow.table, DeviceRow.table, TOTPRow.table,
                RecoveryCodeRow.table, RecoveryKeyRow.table, SyncUserRow.table,
            ] {
                try await sql.delete(from: table).where("uid", .equal, uid.hex).run()
            }
            // The apps it registered keep working for their other users; the
            // operator manages them from now on.
            try await sql.update(OAuthClientRow.table)
                .set(SQLIdentifier("owner_uid"), to: SQLLiteral.null)
                .where("owner_uid", .equal, uid.hex)
                .run()
            try await sql.delete(from: AccountRow.table).where("uid", .equal, uid.hex).run()
            // Fan out to the RPs the account authorized, then forget them.
            try await OutboxSQL.record(event, on: sql)
            try await sql.delete(from: AccountClientRow.table).where("uid", .equal, uid.hex).run()
        }
    }

    static func row(uid: AccountUID, on sql: any SQLDatabase) async throws -> AccountRow? {
        try await sql.row(AccountRow.self, where: "uid", is: uid.hex)
    }

    private func row(normalizedEmail: String, on sql: any SQLDatabase) async throws -> AccountRow? {
        try await sql.row(AccountRow.self, where: "normalized_email", is: normalizedEmail)
    }
}
