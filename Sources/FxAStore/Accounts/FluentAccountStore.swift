import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``AccountStore`` through Fluent.
public struct FluentAccountStore: AccountStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func create(_ account: AccountRecord) async throws {
        let db = try database.handle()
        if try await AccountModel.query(on: db).filter(\.$normalizedEmail == account.normalizedEmail).count() > 0 {
            throw FxAStoreError.conflict
        }
        do {
            try await AccountModel(account).create(on: db)
        } catch {
            // A concurrent sign-up with the same email won the unique index.
            if try await AccountModel.query(on: db).filter(\.$normalizedEmail == account.normalizedEmail).count() > 0 {
                throw FxAStoreError.conflict
            }
            throw error
        }
    }

    public func account(uid: AccountUID) async throws -> AccountRecord? {
        try await AccountModel.find(uid.hex, on: database.handle())?.record
    }

    public func accounts(afterEmail: String?, limit: Int) async throws -> [AccountRecord] {
        var query = try AccountModel.query(on: database.handle()).sort(\.$normalizedEmail).limit(limit)
        if let afterEmail { query = query.filter(\.$normalizedEmail > afterEmail) }
        return try await query.all().compactMap(\.record)
    }

    public func account(normalizedEmail: String) async throws -> AccountRecord? {
        try await AccountModel.query(on: database.handle())
            .filter(\.$normalizedEmail == normalizedEmail)
            .first()?.record
    }

    public func account(anyVerifiedEmail normalizedEmail: String) async throws -> AccountRecord? {
        if let primary = try await account(normalizedEmail: normalizedEmail) { return primary }
        let db = try database.handle()
        guard let row = try await SecondaryEmailModel.query(on: db)
            .filter(\.$normalizedEmail == normalizedEmail).filter(\.$verified == true).first()
        else { return nil }
        return try await AccountModel.find(row.uid, on: db)?.record
    }

    public func markEmailVerified(uid: AccountUID) async throws -> Bool {
        let db = try database.handle()
        guard let model = try await AccountModel.find(uid.hex, on: db) else { return false }
        model.emailVerified = true
        try await model.save(on: db)
        return true
    }

    public func replaceCredentials(
        uid: AccountUID, v1: AccountRecord.Credentials, v2: AccountRecord.CredentialsV2?, _ replacement: CredentialReplacement,
        at date: Date, recording event: OutboxEvent
    ) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            guard let model = try await AccountModel.find(uid.hex, on: tx) else { throw FxAStoreError.notFound }
            model.authSalt = v1.authSalt
            model.verifyHash = v1.verifyHash
            model.wrapWrapKb = v1.wrapWrapKb
            model.clientSalt = v2?.clientSalt.rawValue
            model.authSaltV2 = v2?.credentials.authSalt
            model.verifyHashV2 = v2?.credentials.verifyHash
            model.wrapWrapKbV2 = v2?.credentials.wrapWrapKb
            switch replacement {
            case .reset(let kA):
                // kB is new, so are the scoped keys.
                model.kA = kA
                model.keysChangedAt = date
            case .change where model.keysChangedAt == nil:
                // A row an older binary wrote: it read as verifier_set_at so
                // far, and kB is unchanged, so it keeps reading that.
                model.keysChangedAt = model.verifierSetAt
            case .change:
                break
            }
            model.verifierSetAt = date
            try await model.save(on: tx)
            try await TokenModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await OAuthGrantSQL.endGrants(uid: uid, for: replacement, on: sqlDatabase(tx))
            try await OutboxSQL.record(event, on: tx)
        }
    }

    public func capabilities(uid: AccountUID) async throws -> [String] {
        guard let row = try await database.readSQL().raw("SELECT capabilities FROM accounts WHERE uid = \(bind: uid.hex)").first()
        else { return [] }
        return Self.decodeCapabilities(try row.decode(column: "capabilities", as: String?.self))
    }

    /// The stored JSON list, sorted; `NULL` (never set) is none. Only
    /// ``setCapabilities(_:uid:recording:)`` writes the column, always a
    /// JSON list of strings.
    private static func decodeCapabilities(_ text: String?) -> [String] {
        guard let text, let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return list.sorted()
    }

    public func setCapabilities(
        _ capabilities: [String], uid: AccountUID, recording events: @escaping @Sendable (_ previous: [String]) -> [OutboxEvent]
    ) async throws -> [String] {
        let text = String(decoding: try JSONEncoder().encode(Array(Set(capabilities)).sorted()), as: UTF8.self)
        let lock = database.location.isPostgres ? " FOR UPDATE" : ""
        return try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            // SQLite has one writer, so the read and the write below are
            // already serialized; PostgreSQL locks the row until commit.
            var select = SQLQueryString("SELECT capabilities FROM accounts WHERE uid = \(bind: uid.hex)")
            select.appendInterpolation(unsafeRaw: lock)
            guard let row = try await sql.raw(select).first() else { throw FxAStoreError.notFound }
            let previous = Self.decodeCapabilities(try row.decode(column: "capabilities", as: String?.self))
            try await sql.raw("UPDATE accounts SET capabilities = \(bind: text) WHERE uid = \(bind: uid.hex)").run()
            for event in events(previous) { try await OutboxSQL.record(event, on: tx) }
            return previous
        }
    }

    public func delete(uid: AccountUID, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            try await TokenModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await CodeModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await OAuthTokenModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await OAuthCodeModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await AvatarModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await SecondaryEmailModel.query(on: tx).filter(\.$uid == uid.hex).delete()
            try await sqlDatabase(tx).raw("DELETE FROM web_sessions WHERE uid = \(bind: uid.hex)").run()
            try await sqlDatabase(tx).raw("DELETE FROM device_commands WHERE uid = \(bind: uid.hex)").run()
            try await sqlDatabase(tx).raw("DELETE FROM devices WHERE uid = \(bind: uid.hex)").run()
            // The apps it registered keep working for their other users; the
            // operator manages them from now on.
            try await sqlDatabase(tx).raw("UPDATE oauth_clients SET owner_uid = NULL WHERE owner_uid = \(bind: uid.hex)").run()
            try await AccountModel.query(on: tx).filter(\.$id == uid.hex).delete()
            // Fan out to the RPs the account authorized, then forget them.
            try await OutboxSQL.record(event, on: tx)
            try await sqlDatabase(tx).raw("DELETE FROM account_clients WHERE uid = \(bind: uid.hex)").run()
        }
    }
}
