import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``OAuthGrantStore`` through Fluent, with the one race that matters
/// (redeeming a code) settled by a single conditional UPDATE.
public struct FluentOAuthGrantStore: OAuthGrantStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func insertCode(_ code: OAuthCodeRecord) async throws {
        try await database.sql().raw(OAuthGrantSQL.insert(code)).run()
    }

    public func redeemCode(
        hash: Data, at date: Date, issuing issue: @escaping @Sendable (OAuthCodeRecord) throws -> [OAuthTokenRecord]
    ) async throws -> OAuthCodeRedemption {
        let (outcome, refusal) = try await database.handle().transaction { tx -> (OAuthCodeRedemption, (any Error)?) in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.raw(OAuthGrantSQL.redeem(hash: hash, at: date)).first(),
                  let record = try OAuthGrantSQL.code(from: row)
            else {
                guard let row = try await sql.raw(OAuthGrantSQL.selectCode(hash: hash)).first(),
                      let record = try OAuthGrantSQL.code(from: row)
                else { return (.unknown, nil) }
                return (.replayed(record), nil)
            }
            let tokens: [OAuthTokenRecord]
            do { tokens = try issue(record) } catch { return (.redeemed(record), error) }
            for token in tokens {
                try await sql.raw(OAuthGrantSQL.insert(token)).run()
            }
            if !tokens.isEmpty {
                try await OutboxSQL.noteAuthorization(uid: record.uid, clientID: record.clientID, at: date, on: sql)
            }
            return (.redeemed(record), nil)
        }
        if let refusal { throw refusal }
        return outcome
    }

    /// A token minted from a refresh token only needs its row; any other
    /// (the `fxa-credentials` grant) also records the authorization, for
    /// the event broker.
    public func insertToken(_ token: OAuthTokenRecord) async throws {
        guard token.parentHash == nil else {
            try await database.sql().raw(OAuthGrantSQL.insert(token)).run()
            return
        }
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            try await sql.raw(OAuthGrantSQL.insert(token)).run()
            try await OutboxSQL.noteAuthorization(uid: token.uid, clientID: token.clientID, at: token.createdAt, on: sql)
        }
    }

    public func token(hash: Data) async throws -> OAuthTokenRecord? {
        guard let row = try await database.readSQL().raw(OAuthGrantSQL.selectToken(hash: hash)).first() else { return nil }
        return try OAuthGrantSQL.token(from: row)
    }

    public func deleteToken(hash: Data) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.handle().transaction { tx in
            try await OAuthGrantSQL.deleteToken(hash: hash, on: sqlDatabase(tx))
        }
    }

    public func deleteTokens(grantCodeHash: Data) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            let issued = try await OAuthTokenModel.query(on: tx).filter(\.$grantCodeHash == grantCodeHash).all()
            let refreshHashes = issued.filter { $0.kind == OAuthTokenRecord.Kind.refresh.rawValue }.compactMap(\.id)
            if !refreshHashes.isEmpty {
                try await OAuthTokenModel.query(on: tx).filter(\.$parentHash ~~ refreshHashes).delete()
            }
            try await OAuthTokenModel.query(on: tx).filter(\.$grantCodeHash == grantCodeHash).delete()
        }
    }

    public func tokens(uid: AccountUID) async throws -> [OAuthTokenRecord] {
        try await OAuthTokenModel.query(on: database.handle())
            .filter(\.$uid == uid.hex)
            .sort(\.$createdAt)
            .all()
            .compactMap(\.record)
    }

    public func disconnect(uid: AccountUID, clientID: OAuthClientID, refreshTokenHash: Data?, at date: Date) async throws {
        defer { database.noteCommittedChange() }
        let isPostgres = database.location.isPostgres
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            if let refreshTokenHash {
                _ = try await OAuthGrantSQL.deleteToken(hash: refreshTokenHash, on: sql)
                // Another device still signed in to the app (an expired
                // access token the sweeper has not removed yet does not count).
                let left = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM oauth_tokens WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex) \
                    AND (expires_at IS NULL OR expires_at > \(bind: date))
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                guard left == 0 else { return }
            }
            // Locks in the order a grant takes them (its code, then this
            // account_clients row), so the two cannot deadlock. PostgreSQL:
            // the codes statement waits for a code exchange in flight, the
            // row lock for any grant being recorded (its noteAuthorization
            // upsert); the tokens statement after them, a new snapshot,
            // sees and deletes what they issued. SQLite has one writer.
            try await sql.raw("DELETE FROM oauth_codes WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex)").run()
            if isPostgres {
                try await sql.raw("""
                    SELECT uid FROM account_clients WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex) FOR UPDATE
                    """).run()
            }
            try await sql.raw("DELETE FROM oauth_tokens WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex)").run()
            try await OutboxSQL.noteDisconnection(uid: uid, clientID: clientID, at: date, on: sql)
        }
    }

    public func touchToken(hash: Data, at date: Date) async throws {
        try await OAuthTokenModel.query(on: database.handle())
            .filter(\.$id == hash)
            .set(\.$lastUsedAt, to: date)
            .update()
    }

    public func purgeExpired(codesBefore: Date, tokensBefore: Date) async throws {
        let db = try database.handle()
        try await OAuthCodeModel.query(on: db).filter(\.$createdAt < codesBefore).delete()
        try await OAuthTokenModel.query(on: db)
            .filter(\.$expiresAt != nil)
            .filter(\.$expiresAt < tokensBefore)
            .delete()
    }
}
