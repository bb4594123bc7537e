import FxACore
import Foundation
import SQLKit

/// ``WebSessionStore`` on the `web_sessions` table (``WebSessionRow``).
public struct SQLWebSessionStore: WebSessionStore {
    let database: StoreDatabase
    let tokens: SQLTokenStore

    public init(database: StoreDatabase) {
        self.database = database
        tokens = SQLTokenStore(database: database)
    }

    public func insert(_ session: WebSession) async throws {
        try await database.sql().insert(WebSessionRow(session))
    }

    public func session(idHash: TokenHash) async throws -> (session: WebSession, token: StoredToken)? {
        guard let session = try await database.readSQL().row(WebSessionRow.self, where: "id_hash", is: idHash.bytes)?.record
        else { return nil }
        guard let token = try await tokens.token(idHash: session.tokenIDHash), token.kind == .sessionToken,
              token.uid == session.uid
        else {
            try await forget(idHash: idHash)
            return nil
        }
        return (session, token)
    }

    public func signOut(idHash: TokenHash) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            let rows = try await sql.delete(from: WebSessionRow.table)
                .where("id_hash", .equal, idHash.bytes)
                .returning(SQLLiteral.all)
                .rows(WebSessionRow.self)
            try await Self.deleteTokens(of: rows.map(\.tokenIDHash), on: sql)
        }
    }

    public func forget(idHash: TokenHash) async throws {
        try await database.sql().delete(from: WebSessionRow.table).where("id_hash", .equal, idHash.bytes).run()
    }

    public func deleteExpired(createdBefore date: Date) async throws -> Int {
        defer { database.noteCommittedChange() }
        return try await database.transaction { sql in
            // An expired session takes its FxA session token with it: the
            // token exists only for the pages and would otherwise never die.
            let rows = try await sql.raw("""
                DELETE FROM web_sessions WHERE created_at < \(bind: date) \
                OR NOT EXISTS (SELECT 1 FROM auth_tokens WHERE auth_tokens.id_hash = web_sessions.token_id_hash) \
                RETURNING *
                """).rows(WebSessionRow.self)
            // A shared token is Firefox's: it outlives the cookie.
            try await Self.deleteTokens(of: rows.filter { !$0.sharesToken }.map(\.tokenIDHash), on: sql)
            return rows.count
        }
    }

    /// Deletes the session tokens (and the key-fetch tokens under them)
    /// that the deleted `web_sessions` rows stood on.
    private static func deleteTokens(of tokenIDHashes: [Data], on sql: any SQLDatabase) async throws {
        for tokenIDHash in tokenIDHashes {
            try await sql.delete(from: AuthTokenRow.table)
                .where("id_hash", .equal, tokenIDHash)
                .orWhere("parent_id_hash", .equal, tokenIDHash)
                .run()
            try await SessionEndingSQL.deleteMintedTokens(session: tokenIDHash, on: sql)
        }
    }
}
