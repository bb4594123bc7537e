import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``WebSessionStore`` in plain SQL on the `web_sessions` table.
public struct FluentWebSessionStore: WebSessionStore {
    let database: StoreDatabase
    let tokens: FluentTokenStore

    public init(database: StoreDatabase) {
        self.database = database
        tokens = FluentTokenStore(database: database)
    }

    public func insert(_ session: WebSession) async throws {
        try await database.sql().raw("""
            INSERT INTO web_sessions (id_hash, token_id_hash, uid, created_at, shares_token) \
            VALUES (\(bind: session.idHash), \(bind: session.tokenIDHash), \(bind: session.uid.hex), \(bind: session.createdAt), \
            \(bind: session.sharesToken))
            """).run()
    }

    public func session(idHash: Data) async throws -> (session: WebSession, token: StoredToken)? {
        let query: SQLQueryString = """
            SELECT token_id_hash, uid, created_at, shares_token FROM web_sessions WHERE id_hash = \(bind: idHash)
            """
        guard let row = try await database.readSQL().raw(query).first(),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self))
        else { return nil }
        let session = WebSession(
            idHash: idHash, tokenIDHash: try row.decode(column: "token_id_hash", as: Data.self), uid: uid,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            sharesToken: try row.decode(column: "shares_token", as: Bool.self))
        guard let token = try await tokens.token(idHash: session.tokenIDHash), token.kind == .sessionToken, token.uid == uid
        else {
            try await database.sql().raw("DELETE FROM web_sessions WHERE id_hash = \(bind: idHash)").run()
            return nil
        }
        return (session, token)
    }

    public func signOut(idHash: Data) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            let rows = try await sql.raw("DELETE FROM web_sessions WHERE id_hash = \(bind: idHash) RETURNING token_id_hash").all()
            try await Self.deleteTokens(of: rows, on: sql)
        }
    }

    public func forget(idHash: Data) async throws {
        try await database.sql().raw("DELETE FROM web_sessions WHERE id_hash = \(bind: idHash)").run()
    }

    public func deleteExpired(createdBefore date: Date) async throws -> Int {
        defer { database.noteCommittedChange() }
        return try await database.handle().transaction { tx in
            let sql = sqlDatabase(tx)
            // An expired session takes its FxA session token with it: the
            // token exists only for the pages and would otherwise never die.
            let rows = try await sql.raw("""
                DELETE FROM web_sessions WHERE created_at < \(bind: date) \
                OR NOT EXISTS (SELECT 1 FROM auth_tokens WHERE auth_tokens.id_hash = web_sessions.token_id_hash) \
                RETURNING token_id_hash, shares_token
                """).all()
            // A shared token is Firefox's: it outlives the cookie.
            try await Self.deleteTokens(of: try rows.filter { !(try $0.decode(column: "shares_token", as: Bool.self)) }, on: sql)
            return rows.count
        }
    }

    /// Deletes the session tokens (and the key-fetch tokens under them)
    /// that the deleted `web_sessions` rows named in `token_id_hash`.
    private static func deleteTokens(of rows: [any SQLRow], on sql: any SQLDatabase) async throws {
        for row in rows {
            let token = try row.decode(column: "token_id_hash", as: Data.self)
            try await sql.raw("DELETE FROM auth_tokens WHERE id_hash = \(bind: token) OR parent_id_hash = \(bind: token)").run()
            try await SessionEndingSQL.deleteMintedTokens(session: token, on: sql)
        }
    }
}
