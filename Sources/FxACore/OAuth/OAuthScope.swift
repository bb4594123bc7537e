import Foundation

/// One OAuth scope with FxA's implication rules
/// (`fxa-shared/oauth/scopes.ts`): short scopes such as `profile:email`
/// and `profile:write`, and URL scopes such as
/// `https://identity.mozilla.com/apps/oldsync`.
///
/// Invalid strings do not become scopes, so nothing downstream compares raw
/// strings or has to re-check them.
public struct OAuthScope: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The scope exactly as written.
    public let value: String
    private let shape: Shape

    private enum Shape: Hashable, Sendable {
        /// `a:b:c`, with `write` when the last component is `:write`.
        case short(components: [String], write: Bool)
        /// `https://host/path[#fragment]`.
        case url(origin: String, path: [String], fragment: String?)
    }

    public init?(_ value: String) {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy(Self.isScopeCharacter) else { return nil }
        if value.hasPrefix("https:") {
            guard let url = URLComponents(string: value), url.scheme == "https", let host = url.host, !host.isEmpty,
                  url.user == nil, url.password == nil, url.query == nil, url.percentEncodedPath.count > 1,
                  !url.percentEncodedPath.hasSuffix("/")
            else { return nil }
            if let fragment = url.fragment {
                guard !fragment.isEmpty, fragment.allSatisfy(Self.isWordCharacter) else { return nil }
            }
            // The value must already be in the canonical form a URL parser
            // gives back, so two spellings of one scope cannot both exist.
            let origin = "https://" + host.lowercased() + (url.port.map { ":\($0)" } ?? "")
            let canonical = origin + url.percentEncodedPath + (url.fragment.map { "#" + $0 } ?? "")
            guard canonical == value else { return nil }
            let path = url.percentEncodedPath.split(separator: "/").map(String.init)
            shape = .url(origin: origin, path: path, fragment: url.fragment)
        } else {
            var components = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard components.count <= 32, components.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isWordCharacter) })
            else { return nil }
            let write = components.last == "write"
            if write { components.removeLast() }
            guard !components.isEmpty else { return nil }
            shape = .short(components: components, write: write)
        }
        self.value = value
    }

    /// Whether holding `self` grants `other`: `profile` grants
    /// `profile:email` but no `:write`; `profile:write` grants
    /// `profile:email:write` and `profile`; a URL scope grants its
    /// sub-paths (and a fragment-less one every fragment of them).
    public func implies(_ other: OAuthScope) -> Bool {
        switch (shape, other.shape) {
        case let (.short(mine, myWrite), .short(theirs, theirWrite)):
            return theirs.starts(with: mine) && (myWrite || !theirWrite)
        case let (.url(myOrigin, myPath, myFragment), .url(theirOrigin, theirPath, theirFragment)):
            guard myOrigin == theirOrigin, theirPath.starts(with: myPath) else { return false }
            return myFragment == nil || myFragment == theirFragment
        default:
            return false
        }
    }

    public var description: String { value }

    /// Whether this is a URL scope (`https://…`) rather than a short one.
    public var isURLScope: Bool {
        if case .url = shape { return true }
        return false
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let scope = OAuthScope(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid scope"))
        }
        self = scope
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    /// RFC 6749's scope-token characters: `%x21 / %x23-5B / %x5D-7E`.
    private static func isScopeCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v == 0x21 || (0x23...0x5B).contains(v) || (0x5D...0x7E).contains(v)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }
}

extension Sequence<OAuthScope> {
    /// Each scope's text once, sorted: how a list of refused scopes is told.
    public var distinctSortedValues: [String] { Set(map(\.value)).sorted() }
}

extension OAuthScope {
    public static let openid = OAuthScope("openid")!
    public static let profile = OAuthScope("profile")!
    public static let email = OAuthScope("email")!
    public static let oldsync = OAuthScope("https://identity.mozilla.com/apps/oldsync")!
    /// What a client that is not trusted may be granted (FxA's allowlist).
    public static let untrustedAllowlist: Set<OAuthScope> = [
        .openid, OAuthScope("profile:uid")!, OAuthScope("profile:email")!, OAuthScope("profile:display_name")!,
    ]
}
