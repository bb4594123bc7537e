import FxACore
import Foundation
import SQLKit

/// The grant store's hot paths as single plain-SQL statements: looking up a
/// token (every `/v1/verify`), inserting codes and tokens, and redeeming a
/// code. Fluent's model machinery (reflection over property wrappers and
/// query serialization) was about a quarter of the CPU time of these
/// requests under load (bench/oauth), so they bypass it. Values are bound
/// with the same encoders Fluent uses, so rows written either way read back
/// the same on SQLite and PostgreSQL (the conformance suite checks both).
enum OAuthGrantSQL {
    static let tokenColumns =
        "token_hash, kind, client_id, uid, scope, created_at, expires_at, last_used_at, parent_hash, grant_code_hash, auth_at, session_id_hash"
    static let codeColumns =
        "code_hash, client_id, uid, scope, redirect_uri, code_challenge, nonce, offline, auth_at, amr, aal, keys_jwe, created_at, used_at"

    static func selectToken(hash: Data) -> SQLQueryString {
        "SELECT \(unsafeRaw: tokenColumns) FROM oauth_tokens WHERE token_hash = \(bind: hash)"
    }

    static func insert(_ token: OAuthTokenRecord) -> SQLQueryString {
        """
        INSERT INTO oauth_tokens (\(unsafeRaw: tokenColumns)) VALUES (\(bind: token.tokenHash), \(bind: token.kind.rawValue), \
        \(bind: token.clientID.hex), \(bind: token.uid.hex), \(bind: token.scope.description), \(bind: token.createdAt), \
        \(bind: token.expiresAt), \(bind: token.lastUsedAt), \(bind: token.parentHash), \(bind: token.grantCodeHash), \
        \(bind: token.authAt), \(bind: token.sessionIDHash))
        """
    }

    static func insert(_ code: OAuthCodeRecord) -> SQLQueryString {
        """
        INSERT INTO oauth_codes (\(unsafeRaw: codeColumns)) VALUES (\(bind: code.codeHash), \(bind: code.clientID.hex), \
        \(bind: code.uid.hex), \(bind: code.scope.description), \(bind: code.redirectURI), \(bind: code.codeChallenge), \
        \(bind: code.nonce), \(bind: code.offline), \(bind: code.authAt), \(bind: code.amr), \(bind: code.aal), \
        \(bind: code.keysJWE), \(bind: code.createdAt), \(bind: code.usedAt))
        """
    }

    /// Marks an unused code used and returns it, in one statement: of two
    /// concurrent redemptions exactly one gets the row.
    static func redeem(hash: Data, at date: Date) -> SQLQueryString {
        """
        UPDATE oauth_codes SET used_at = \(bind: date) WHERE code_hash = \(bind: hash) AND used_at IS NULL \
        RETURNING \(unsafeRaw: codeColumns)
        """
    }

    static func selectCode(hash: Data) -> SQLQueryString {
        "SELECT \(unsafeRaw: codeColumns) FROM oauth_codes WHERE code_hash = \(bind: hash)"
    }

    /// Ends what a password replacement ends (``CredentialReplacement``):
    /// on a change, the tokens of every client not registered as
    /// confidential (public ones, and any whose client row is gone) and the
    /// codes not yet exchanged; on a reset, every token and code.
    ///
    /// Codes first: a code exchange in flight holds its code's row, so on
    /// PostgreSQL the code statement waits for it to commit, and the token
    /// statement after it (a new snapshot under READ COMMITTED) then sees,
    /// and deletes, the tokens that exchange issued.
    static func endGrants(uid: AccountUID, for replacement: CredentialReplacement, on sql: any SQLDatabase) async throws {
        switch replacement {
        case .change:
            try await sql.raw("DELETE FROM oauth_codes WHERE uid = \(bind: uid.hex) AND used_at IS NULL").run()
            try await sql.raw("""
                DELETE FROM oauth_tokens WHERE uid = \(bind: uid.hex) AND client_id NOT IN \
                (SELECT id FROM oauth_clients WHERE public_client = \(bind: false))
                """).run()
        case .reset:
            try await sql.raw("DELETE FROM oauth_codes WHERE uid = \(bind: uid.hex)").run()
            try await sql.raw("DELETE FROM oauth_tokens WHERE uid = \(bind: uid.hex)").run()
        }
    }

    /// Deletes a token and what dies with it: for a refresh token, the
    /// access tokens it minted and the ones issued beside it in the same
    /// exchange (RFC 7009 §2.1: revoking a refresh token revokes the access
    /// tokens of the same grant). Returns whether the token existed.
    static func deleteToken(hash: Data, on sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.raw("""
            DELETE FROM oauth_tokens WHERE token_hash = \(bind: hash) RETURNING kind, grant_code_hash
            """).first()
        else { return false }
        guard try row.decode(column: "kind", as: String.self) == OAuthTokenRecord.Kind.refresh.rawValue else { return true }
        try await sql.raw("DELETE FROM oauth_tokens WHERE parent_hash = \(bind: hash)").run()
        if let grant = try row.decode(column: "grant_code_hash", as: Data?.self) {
            try await sql.raw("""
                DELETE FROM oauth_tokens WHERE grant_code_hash = \(bind: grant) \
                AND kind = \(bind: OAuthTokenRecord.Kind.access.rawValue)
                """).run()
        }
        return true
    }

    static func token(from row: any SQLRow) throws -> OAuthTokenRecord? {
        guard let kind = OAuthTokenRecord.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
              let clientID = OAuthClientID(hex: try row.decode(column: "client_id", as: String.self)),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self)),
              let scope = OAuthScopeSet(parsing: try row.decode(column: "scope", as: String.self), maximumLength: .max)
        else { return nil }
        return OAuthTokenRecord(
            tokenHash: try row.decode(column: "token_hash", as: Data.self), kind: kind, clientID: clientID, uid: uid,
            scope: scope, createdAt: try row.decode(column: "created_at", as: Date.self),
            expiresAt: try row.decode(column: "expires_at", as: Date?.self),
            lastUsedAt: try row.decode(column: "last_used_at", as: Date.self),
            parentHash: try row.decode(column: "parent_hash", as: Data?.self),
            grantCodeHash: try row.decode(column: "grant_code_hash", as: Data?.self),
            authAt: try row.decode(column: "auth_at", as: Date?.self),
            sessionIDHash: try row.decode(column: "session_id_hash", as: Data?.self))
    }

    static func code(from row: any SQLRow) throws -> OAuthCodeRecord? {
        guard let clientID = OAuthClientID(hex: try row.decode(column: "client_id", as: String.self)),
              let uid = AccountUID(hex: try row.decode(column: "uid", as: String.self)),
              let scope = OAuthScopeSet(parsing: try row.decode(column: "scope", as: String.self), maximumLength: .max)
        else { return nil }
        return OAuthCodeRecord(
            codeHash: try row.decode(column: "code_hash", as: Data.self), clientID: clientID, uid: uid, scope: scope,
            redirectURI: try row.decode(column: "redirect_uri", as: String?.self),
            codeChallenge: try row.decode(column: "code_challenge", as: String?.self),
            nonce: try row.decode(column: "nonce", as: String?.self), offline: try row.decode(column: "offline", as: Bool.self),
            authAt: try row.decode(column: "auth_at", as: Date.self), amr: try row.decode(column: "amr", as: [String].self),
            aal: try row.decode(column: "aal", as: Int.self), keysJWE: try row.decode(column: "keys_jwe", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            usedAt: try row.decode(column: "used_at", as: Date?.self))
    }
}
