import FxACore
import Foundation
import SQLKit

/// The statements that end grants, shared by the stores whose
/// transactions end them (a password change or reset, a revocation, a
/// disconnection).
enum OAuthGrantSQL {
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
        case .reset, .recoveredReset:
            try await sql.raw("DELETE FROM oauth_codes WHERE uid = \(bind: uid.hex)").run()
            try await sql.raw("DELETE FROM oauth_tokens WHERE uid = \(bind: uid.hex)").run()
        }
    }

    /// Deletes a token and what dies with it: for a refresh token, the
    /// access tokens it minted and the ones issued beside it in the same
    /// exchange (RFC 7009 §2.1: revoking a refresh token revokes the access
    /// tokens of the same grant). Returns whether the token existed.
    static func deleteToken(hash: TokenHash, on sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.raw("""
            DELETE FROM oauth_tokens WHERE token_hash = \(bind: hash.bytes) RETURNING kind, grant_code_hash
            """).first()
        else { return false }
        guard try row.decode(column: "kind", as: String.self) == OAuthTokenRecord.Kind.refresh.rawValue else { return true }
        try await sql.raw("DELETE FROM oauth_tokens WHERE parent_hash = \(bind: hash.bytes)").run()
        if let grant = try row.decode(column: "grant_code_hash", as: Data?.self) {
            try await sql.raw("""
                DELETE FROM oauth_tokens WHERE grant_code_hash = \(bind: grant) \
                AND kind = \(bind: OAuthTokenRecord.Kind.access.rawValue)
                """).run()
        }
        return true
    }
}
