import FxACore
import Foundation

/// A row of `web_sessions`: a signed-in browser on the server's own pages
/// (``WebSession``).
struct WebSessionRow: TableRow {
    static let table = "web_sessions"

    var idHash: Data
    var tokenIDHash: Data
    var uid: String
    var createdAt: Date
    var sharesToken: Bool

    init(_ session: WebSession) {
        idHash = session.idHash.bytes
        tokenIDHash = session.tokenIDHash.bytes
        uid = session.uid.hex
        createdAt = session.createdAt
        sharesToken = session.sharesToken
    }

    /// The stored session; `nil` only for a row this code could not have written.
    var record: WebSession? {
        guard let uid = AccountUID(hex: uid), let idHash = TokenHash(bytes: idHash),
              let tokenIDHash = TokenHash(bytes: tokenIDHash)
        else { return nil }
        return WebSession(idHash: idHash, tokenIDHash: tokenIDHash, uid: uid, createdAt: createdAt, sharesToken: sharesToken)
    }
}
