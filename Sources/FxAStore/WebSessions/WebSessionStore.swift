import FxACore
import Foundation

/// A browser's signed-in state on the server's own pages (settings, the
/// console): the cookie names it, and it stands on one FxA session token.
///
/// Only the SHA-256 of the cookie's value is stored, so a copy of the
/// database signs no one in. The session is valid only while its session
/// token exists: a password change or reset (which deletes every token),
/// signing out, or deleting the account ends it with no second place to
/// forget.
public struct WebSession: Sendable, Equatable {
    /// SHA-256 of the cookie value.
    public var idHash: TokenHash
    /// The FxA session token it stands on (that token's id hash).
    public var tokenIDHash: TokenHash
    public var uid: AccountUID
    public var createdAt: Date
    /// The session token is Firefox's too: the pages were opened from
    /// Firefox's menu and took its session over the WebChannel (or handed
    /// it their new one after a password change). Replacing or sweeping
    /// such a web session forgets only the cookie; the token stays
    /// Firefox's, and only an explicit sign-out ends it.
    public var sharesToken: Bool

    public init(idHash: TokenHash, tokenIDHash: TokenHash, uid: AccountUID, createdAt: Date, sharesToken: Bool = false) {
        self.idHash = idHash
        self.tokenIDHash = tokenIDHash
        self.uid = uid
        self.createdAt = createdAt
        self.sharesToken = sharesToken
    }
}

/// Persistence of ``WebSession``s.
public protocol WebSessionStore: Sendable {
    /// Stores a new web session.
    func insert(_ session: WebSession) async throws

    /// The session and its session token, when both exist; a session whose
    /// token is gone is deleted and `nil` is returned.
    func session(idHash: TokenHash) async throws -> (session: WebSession, token: StoredToken)?

    /// Deletes the web session and the session token it stands on, in one
    /// transaction (signing out of the pages signs that session out of FxA).
    func signOut(idHash: TokenHash) async throws

    /// Deletes the web session only, leaving its session token (a shared
    /// one, replaced by a new sign-in in the same browser).
    func forget(idHash: TokenHash) async throws

    /// Deletes web sessions created before `date` (with their session
    /// tokens, unless shared) and those whose session token is gone;
    /// returns how many.
    @discardableResult
    func deleteExpired(createdBefore date: Date) async throws -> Int
}
