/// A request's `scope` parameter, parsed once into the two forms the
/// server needs: the minimal ``OAuthScopeSet`` that is granted and stored,
/// and the scopes as the client named them, so that a refusal can list
/// every refused scope as it was sent. (The minimal set drops a scope that
/// another one implies: `profile:write profile:amr` is `{profile:write}`,
/// and a refusal built from it would not name `profile:amr`.)
public struct RequestedScopes: Sendable, Equatable {
    /// Each distinct scope, in the order the request named it.
    public let named: [OAuthScope]
    /// What they add up to.
    public let set: OAuthScopeSet

    /// Parses a space-separated scope string; `nil` when any member is
    /// invalid or the text is longer than `maximumLength` (FxA: 256).
    public init?(parsing text: String, maximumLength: Int = 256) {
        guard text.count <= maximumLength else { return nil }
        var named: [OAuthScope] = []
        var seen: Set<OAuthScope> = []
        for part in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let scope = OAuthScope(String(part)) else { return nil }
            if seen.insert(scope).inserted { named.append(scope) }
        }
        self.named = named
        self.set = OAuthScopeSet(named)
    }

    /// Whether the parameter named no scope at all (only spaces).
    public var isEmpty: Bool { named.isEmpty }
}
