import FxACore
import FxAStore

/// Which scopes a client's registration may list: scopes this server knows,
/// and for a client that is not trusted only the ones it can ever be
/// granted. A registration that lists more only fails later, at sign-in,
/// with `invalid_scope` (the first-hour trap: `profile` on an untrusted
/// client, which FxA grants only to trusted ones).
public enum ClientScopeRules {
    /// The short scopes this server grants (FxA's: `fxa-shared`'s scope
    /// list and the profile server's routes). URL scopes (`https://…`) are
    /// a relying party's own or Firefox's and are not listed.
    public static let knownShortScopes: [String] = [
        "openid", "email", "profile", "profile:write", "profile:uid", "profile:email", "profile:display_name",
        "profile:display_name:write", "profile:avatar", "profile:avatar:write", "profile:locale", "profile:amr",
        "profile:subscriptions",
    ]

    /// What an untrusted client may be granted, in the order people read it.
    public static let untrustedScopes: [String] = ["openid", "profile:uid", "profile:email", "profile:display_name"]

    /// A new client's scopes when the registration names none: what it can
    /// be granted, so its own defaults work on the first sign-in.
    public static func defaults(trusted: Bool) -> [String] {
        trusted ? ["profile", "openid"] : untrustedScopes
    }

    /// Throws errno 107 naming every scope that is not a scope at all, not
    /// one this server knows, or one a client of this trust can never be
    /// granted, and what to do instead.
    public static func check(_ scopes: [String], trusted: Bool) throws {
        var problems: [String] = []
        let malformed = scopes.filter { OAuthScope($0) == nil }
        if !malformed.isEmpty {
            problems.append("not a valid scope: \(malformed.joined(separator: ", "))")
        }
        let parsed = scopes.compactMap(OAuthScope.init)
        let unknown = parsed.filter { !$0.isURLScope && !knownShortScopes.contains($0.value) }
        if !unknown.isEmpty {
            problems.append("unknown scope \(unknown.map(\.value).joined(separator: ", ")) (known: \(knownShortScopes.joined(separator: " ")), "
                + "or an https:// scope)")
        }
        if !trusted {
            let never = parsed.filter { !unknown.contains($0) && !OAuthScope.untrustedAllowlist.contains($0) }
            if !never.isEmpty {
                problems.append("an untrusted client is never granted \(never.map(\.value).joined(separator: ", ")): "
                    + "ask for \(untrustedScopes.joined(separator: " ")), or have the operator register a trusted "
                    + "client (`fxa-server client create --trusted`, for a site you run yourself)")
            }
        }
        guard problems.isEmpty else {
            throw FxAError(status: 400, errno: .auth(.invalidParameter), message: problems.joined(separator: "; "))
        }
    }

    /// Why an authorization request's `refused` scopes were refused, for
    /// `invalid_scope`'s `error_description`: the developer reading it
    /// learns which scopes, and whether the client's registration or its
    /// trust is the reason.
    public static func refusal(_ refused: [OAuthScope], client: OAuthClientRecord) -> String {
        let notRegistered = refused.filter { !client.registeredScopes.implies($0) }
        let untrusted = refused.filter { !notRegistered.contains($0) }
        var parts: [String] = []
        if !notRegistered.isEmpty {
            parts.append("This client is not registered for: \(notRegistered.distinctSortedValues.joined(separator: " "))")
        }
        if !untrusted.isEmpty {
            parts.append("This client is not trusted, so it may be granted only \(untrustedScopes.joined(separator: " ")), "
                + "not: \(untrusted.distinctSortedValues.joined(separator: " "))")
        }
        return parts.joined(separator: ". ")
    }
}
