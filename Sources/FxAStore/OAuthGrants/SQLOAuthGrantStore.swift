import FxACore
import Foundation
import SQLKit

/// ``OAuthGrantStore`` on `oauth_codes` (``OAuthCodeRow``) and
/// `oauth_tokens` (``OAuthTokenRow``), with the one race that matters
/// (redeeming a code) settled by a single conditional UPDATE.
public struct SQLOAuthGrantStore: OAuthGrantStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func insertCode(_ code: OAuthCodeRecord) async throws {
        try await database.sql().insert(OAuthCodeRow(code))
    }

    public func redeemCode(
        hash: TokenHash, at date: Date, issuing issue: @escaping @Sendable (OAuthCodeRecord) throws -> [OAuthTokenRecord]
    ) async throws -> OAuthCodeRedemption {
        let (outcome, refusal) = try await database.transaction { sql -> (OAuthCodeRedemption, (any Error)?) in
            // Marks an unused code used and returns it, in one statement: of
            // two concurrent redemptions exactly one gets the row.
            guard let record = try await sql.raw("""
                UPDATE oauth_codes SET used_at = \(bind: date) WHERE code_hash = \(bind: hash.bytes) AND used_at IS NULL \
                RETURNING *
                """).row(OAuthCodeRow.self)?.record
            else {
                guard let record = try await sql.row(OAuthCodeRow.self, where: "code_hash", is: hash.bytes)?.record
                else { return (.unknown, nil) }
                return (.replayed(record), nil)
            }
            let tokens: [OAuthTokenRecord]
            do { tokens = try issue(record) } catch { return (.redeemed(record), error) }
            for token in tokens {
                try await sql.insert(OAuthTokenRow(token))
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
            try await database.sql().insert(OAuthTokenRow(token))
            return
        }
        try await database.transaction { sql in
            try await sql.insert(OAuthTokenRow(token))
            try await OutboxSQL.noteAuthorization(uid: token.uid, clientID: token.clientID, at: token.createdAt, on: sql)
        }
    }

    /// On the read connections: every `/v1/verify` looks its token up.
    public func token(hash: TokenHash) async throws -> OAuthTokenRecord? {
        try await database.readSQL().row(OAuthTokenRow.self, where: "token_hash", is: hash.bytes)?.record
    }

    public func deleteToken(hash: TokenHash) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.transaction { sql in
            try await OAuthGrantSQL.deleteToken(hash: hash, on: sql)
        }
    }

    public func deleteTokens(grantCodeHash: TokenHash) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            let issued = try await sql.selectRows(OAuthTokenRow.self).where("grant_code_hash", .equal, grantCodeHash.bytes)
                .rows(OAuthTokenRow.self)
            let refreshHashes = issued.filter { $0.kind == OAuthTokenRecord.Kind.refresh.rawValue }.map(\.tokenHash)
            if !refreshHashes.isEmpty {
                try await sql.delete(from: OAuthTokenRow.table).where("parent_hash", .in, refreshHashes).run()
            }
            try await sql.delete(from: OAuthTokenRow.table).where("grant_code_hash", .equal, grantCodeHash.bytes).run()
        }
    }

    public func tokens(uid: AccountUID) async throws -> [OAuthTokenRecord] {
        try await database.sql().selectRows(OAuthTokenRow.self)
            .where("uid", .equal, uid.hex)
            .orderBy("created_at")
            .rows(OAuthTokenRow.self)
            .compactMap(\.record)
    }

    public func disconnect(uid: AccountUID, clientID: OAuthClientID, refreshTokenHash: TokenHash?, at date: Date) async throws {
        defer { database.noteCommittedChange() }
        let isPostgres = database.location.isPostgres
        try await database.transaction { sql in
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
            try await sql.delete(from: OAuthCodeRow.table)
                .where("uid", .equal, uid.hex).where("client_id", .equal, clientID.hex).run()
            if isPostgres {
                try await sql.raw("""
                    SELECT uid FROM account_clients WHERE uid = \(bind: uid.hex) AND client_id = \(bind: clientID.hex) FOR UPDATE
                    """).run()
            }
            try await sql.delete(from: OAuthTokenRow.table)
                .where("uid", .equal, uid.hex).where("client_id", .equal, clientID.hex).run()
            try await OutboxSQL.noteDisconnection(uid: uid, clientID: clientID, at: date, on: sql)
        }
    }

    public func touchToken(hash: TokenHash, at date: Date) async throws {
        try await database.sql().update(OAuthTokenRow.table)
            .set("last_used_at", to: date)
            .where("token_hash", .equal, hash.bytes)
            .run()
    }

    public func purgeExpired(codesBefore: Date, tokensBefore: Date) async throws {
        let sql = try database.sql()
        try await sql.delete(from: OAuthCodeRow.table).where("created_at", .lessThan, codesBefore).run()
        try await sql.delete(from: OAuthTokenRow.table)
            .where(SQLColumn("expires_at"), .isNot, SQLLiteral.null)
            .where("expires_at", .lessThan, tokensBefore)
            .run()
    }
}
