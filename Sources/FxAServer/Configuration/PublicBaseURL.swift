import FxACore
import Foundation

/// The public origin (and optional path prefix) of the server: the OIDC
/// issuer and the base of every absolute URL the server emits.
///
/// Behind a reverse proxy the listening address (`127.0.0.1:9000`) is not
/// what clients see, so no URL is ever built from the request's Host header;
/// all are built from this one value.
public struct PublicBaseURL: Sendable, Equatable, CustomStringConvertible {
    /// Normalised form: scheme, host, optional port and path, no trailing
    /// slash, no query, no fragment.
    public let string: String
    /// Whether clients reach the server over TLS (turns on HSTS).
    public let isHTTPS: Bool
    /// `scheme://host[:port]`: what browsers send as `Origin` from our pages.
    public let origin: String
    /// The host, lowercased (with brackets for IPv6): how users know this
    /// server, e.g. in an authenticator app's list.
    public let host: String
    /// Whether the host is this machine (`localhost`, `127.*`, `[::1]`): a
    /// development server, whose users are its developer.
    public let isLoopback: Bool

    /// Validates `raw`.
    ///
    /// - Throws: ``StartupError`` unless `raw` is an absolute http(s)
    ///   URL without user info, query or fragment.
    public init(_ raw: String) throws {
        guard let components = URLComponents(string: raw),
              let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty,
              components.user == nil, components.password == nil,
              components.query == nil, components.fragment == nil
        else {
            throw StartupError(.publicURL, "must be an absolute http(s) URL without query or fragment, got \(raw)")
        }
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        // The scheme's default port is left out, as browsers leave it out
        // of `Origin`: `https://host:443` and `https://host` are one origin.
        let defaultPort = scheme == "https" ? 443 : 80
        let port = components.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        self.host = host.lowercased()
        origin = "\(scheme)://\(host.lowercased())\(port)"
        string = origin + path
        isHTTPS = scheme == "https"
        let bareHost = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let labels = bareHost.split(separator: ".", omittingEmptySubsequences: false)
        let loopbackIPv4 = labels.count == 4 && labels[0] == "127"
            && labels.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } && UInt8($0) != nil }
        isLoopback = bareHost == "localhost" || bareHost == "::1" || loopbackIPv4
    }

    /// The absolute URL of `path` (which starts with `/`) on this server.
    public func appending(_ path: String) -> String {
        string + path
    }

    public var description: String { string }
}
