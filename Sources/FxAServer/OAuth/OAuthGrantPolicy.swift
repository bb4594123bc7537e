import FxACore
import FxAStore

/// Which scopes a client may be granted (FxA's `validateRequestedGrant`):
/// only scopes its registration allows, and for a client that is not
/// trusted only FxA's small allowlist (`openid`, `profile:uid`,
/// `profile:email`, `profile:display_name`).
enum OAuthGrantPolicy {
    /// The requested scopes, or errno 114 naming the ones refused.
    static func check(_ requested: OAuthScopeSet, for client: OAuthClientRecord) throws {
        let refused = refused(requested, for: client)
        guard refused.isEmpty else { throw FxAError.invalidScopes(refused) }
    }

    /// The part of `requested` that `client` may not have.
    static func refused(_ requested: OAuthScopeSet, for client: OAuthClientRecord) -> OAuthScopeSet {
        let allowed = OAuthScopeSet(client.allowedScopes.compactMap(OAuthScope.init))
        var refused = requested.subtracting(allowed)
        if !client.trusted {
            refused = refused.union(requested.subtracting(OAuthScopeSet(OAuthScope.untrustedAllowlist)))
        }
        return refused
    }
}
