import Foundation

/// A set of scopes as a request or a token carries it, with FxA's set
/// operations. Adding a scope that is already implied adds nothing, and
/// adding one that implies members replaces them, so the set is always
/// minimal and `description` is its canonical space-separated form.
public struct OAuthScopeSet: Hashable, Sendable, CustomStringConvertible {
    /// The members, none implied by another.
    public private(set) var scopes: Set<OAuthScope> = []

    public init() {}

    public init(_ scopes: some Sequence<OAuthScope>) {
        for scope in scopes { insert(scope) }
    }

    /// Parses a space-separated scope string (one or more spaces between
    /// scopes, as FxA's `fromString`). `nil` when any member is invalid or
    /// the string is longer than FxA's 256-character limit.
    public init?(parsing text: String, maximumLength: Int = 256) {
        guard text.count <= maximumLength else { return nil }
        var set = OAuthScopeSet()
        for part in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let scope = OAuthScope(String(part)) else { return nil }
            set.insert(scope)
        }
        self = set
    }

    public var isEmpty: Bool { scopes.isEmpty }

    /// Adds `scope` unless a member already implies it, dropping members it implies.
    public mutating func insert(_ scope: OAuthScope) {
        if scopes.contains(where: { $0.implies(scope) }) { return }
        scopes = scopes.filter { !scope.implies($0) }
        scopes.insert(scope)
    }

    /// Whether some member implies `scope`.
    public func implies(_ scope: OAuthScope) -> Bool {
        scopes.contains { $0.implies(scope) }
    }

    /// Whether every member of `other` is implied by this set.
    public func contains(_ other: OAuthScopeSet) -> Bool {
        other.scopes.allSatisfy(implies)
    }

    /// The members of this set that `other` grants.
    public func filtered(by other: OAuthScopeSet) -> OAuthScopeSet {
        OAuthScopeSet(scopes.filter(other.implies))
    }

    /// The members of this set that `other` does not grant.
    public func subtracting(_ other: OAuthScopeSet) -> OAuthScopeSet {
        OAuthScopeSet(scopes.filter { !other.implies($0) })
    }

    public func union(_ other: OAuthScopeSet) -> OAuthScopeSet {
        OAuthScopeSet(scopes.union(other.scopes))
    }

    /// Sorted, so equal sets print equally.
    public var sortedValues: [String] { scopes.map(\.value).sorted() }

    public var description: String { sortedValues.joined(separator: " ") }
}
