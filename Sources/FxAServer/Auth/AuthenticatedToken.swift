import FxACore
import FxAStore
import Foundation

/// A request's token after its scheme (Bearer or Hawk) was checked: the
/// stored row plus the secrets only the request could unlock.
struct AuthenticatedToken: Sendable {
    /// The token id as the client sent it.
    let id: Data
    let stored: StoredToken
    /// The key that seals `/account/keys` bundles (key-fetch tokens).
    let extraKey: Data

    var uid: AccountUID { stored.uid }
    var kind: FxATokenKind { stored.kind }
    var idHash: TokenHash { stored.idHash }
}

/// A token with its account, looked up once by
/// ``TokenAuthenticator/authenticateWithAccount(_:as:)``: what every route
/// that acts on the account needs. A token whose account is gone is an
/// invalid token (errno 110), as FxA answers.
struct AuthenticatedAccount: Sendable {
    let token: AuthenticatedToken
    let account: AccountRecord

    var uid: AccountUID { account.uid }
    /// Whether the token's sign-in was confirmed.
    var verified: Bool { token.stored.verified }
}
