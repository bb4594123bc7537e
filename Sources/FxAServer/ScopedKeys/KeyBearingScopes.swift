import FxACore
import FxAStore

/// The scopes that carry an encryption key (FxA's `hasScopedKeys` rows):
/// a relying party granted one of them receives a key derived from the
/// user's kB in `keys_jwe`. Which clients may ask for them is the
/// operator's choice through each client's allowed scopes (and only
/// trusted clients get past FxA's untrusted allowlist at all).
///
/// Only URL scopes can carry keys: the scope is the key's `identifier`,
/// an input of its derivation, so it must be stable and globally unique.
public struct KeyBearingScopes: Sendable, Equatable, CustomStringConvertible {
    /// The key-bearing scopes, as configured.
    public let scopes: Set<OAuthScope>

    /// Firefox Sync's scope: the default, so a self-hosted Sync works out of the box.
    public static let `default` = KeyBearingScopes(unchecked: [.oldsync])

    private init(unchecked scopes: Set<OAuthScope>) { self.scopes = scopes }

    /// Parses a comma- or space-separated list of `https://` URL scopes.
    ///
    /// - Throws: ``StartupError`` naming a value that is
    ///   not a URL scope, or a URL scope with a fragment (FxA's key scopes
    ///   have none; a fragment would make two keys look like one scope).
    public init(configuration text: String) throws {
        var scopes: Set<OAuthScope> = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
            guard let scope = OAuthScope(item), scope.isURLScope, !item.contains("#") else {
                throw StartupError(.keyBearingScopes, "\(item) must be an https:// URL scope without a fragment")
            }
            scopes.insert(scope)
        }
        self.scopes = scopes
    }

    /// The requested scopes that carry keys, in a stable order. Matched
    /// exactly, as FxA looks each requested scope up by value: holding
    /// `https://example.com/apps` does not hand out the key of
    /// `https://example.com/apps/notes`.
    public func keyBearing(in requested: OAuthScopeSet) -> [OAuthScope] {
        requested.scopes.filter(scopes.contains).sorted { $0.value < $1.value }
    }

    /// The requested key-bearing scopes whose keys `client` may receive:
    /// those its registration names exactly. A broader allowed scope (say
    /// `https://identity.mozilla.com/apps`) lets a client be *granted* a
    /// narrower one, as FxA's scope rules say, but never hands out the
    /// narrower scope's key: a key is allowed by name.
    public func keys(for requested: OAuthScopeSet, client: OAuthClientRecord) -> [OAuthScope] {
        keyBearing(in: requested).filter { client.allowedScopes.contains($0.value) }
    }

    /// Whether `scope` overlaps a key-bearing scope: is one, grants one
    /// (`https://identity.mozilla.com/apps` grants Sync's) or is part of one
    /// (`…/apps/oldsync/bookmarks`, `…/apps/oldsync#read`). Such a scope
    /// opens some of what the key protects (a resource server checks the
    /// token's scope by implication) even though keys go by name only.
    public func overlaps(_ scope: OAuthScope) -> Bool {
        scopes.contains { scope.implies($0) || $0.implies(scope) }
    }

    public var description: String { scopes.isEmpty ? "none" : scopes.map(\.value).sorted().joined(separator: ",") }
}
