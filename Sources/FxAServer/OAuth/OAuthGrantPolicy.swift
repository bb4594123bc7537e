import FxACore
import FxAStore

/// Which scopes a client may be granted (FxA's `validateRequestedGrant`):
/// only scopes its registration allows, and for a client that is not
/// trusted only FxA's small allowlist (`openid`, `profile:uid`,
/// `profile:email`, `profile:display_name`).
enum OAuthGrantPolicy {
    /// Refuses with errno 114 unless every requested scope is allowed.
    static func check(_ requested: RequestedScopes, for client: OAuthClientRecord) throws {
        let refused = refused(requested, for: client)
        guard refused.isEmpty else { throw FxAError.invalidScopes(refused) }
    }

    /// Every requested scope, as the client named it, that `client` may not
    /// have. Each is judged on its own, so a refused scope that another
    /// refused one implies is listed too (`profile:write profile:amr` from
    /// an untrusted client names both; FxA's list would name only the first).
    static func refused(_ requested: RequestedScopes, for client: OAuthClientRecord) -> [OAuthScope] {
        requested.named.filter { scope in
            !client.registeredScopes.implies(scope) || (!client.trusted && !OAuthScope.untrustedAllowlist.contains(scope))
        }
    }
}

extension OAuthClientRecord {
    /// The scopes its registration allows, parsed (an entry that is not a
    /// valid scope grants nothing).
    var registeredScopes: OAuthScopeSet {
        OAuthScopeSet(allowedScopes.compactMap(OAuthScope.init))
    }
}
