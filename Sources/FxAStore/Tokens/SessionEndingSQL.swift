import FxACore
import Foundation
import SQLKit

/// What else goes when an FxA session token is deleted: the OAuth tokens
/// the `fxa-credentials` grant minted on it (Firefox's profile and Sync
/// tokens). Every store that deletes a session calls it in the same
/// transaction, so a signed-out Firefox leaves no working token behind.
enum SessionEndingSQL {
    static func deleteMintedTokens(session idHash: TokenHash, on sql: any SQLDatabase) async throws {
        try await deleteMintedTokens(session: idHash.bytes, on: sql)
    }

    /// The same, for a session id hash as a row holds it.
    static func deleteMintedTokens(session idHash: Data, on sql: any SQLDatabase) async throws {
        // Access tokens refreshed from a minted refresh token go with it.
        try await sql.raw("""
            DELETE FROM oauth_tokens WHERE parent_hash IN \
            (SELECT token_hash FROM oauth_tokens WHERE session_id_hash = \(bind: idHash))
            """).run()
        try await sql.raw("DELETE FROM oauth_tokens WHERE session_id_hash = \(bind: idHash)").run()
    }
}
