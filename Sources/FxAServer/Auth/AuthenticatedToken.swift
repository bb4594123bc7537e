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
    var idHash: Data { stored.idHash }
}
