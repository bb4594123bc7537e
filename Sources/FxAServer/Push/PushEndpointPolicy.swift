import Foundation

/// Where the server may send pushes. A device names its push endpoint
/// itself, and the server later POSTs to it, so an arbitrary URL would let
/// any account make the server call anywhere. FxA therefore accepts only
/// Mozilla's push service (`push.allowedServerRegex`): every Firefox's
/// endpoint is on `*.services.mozilla.com`. An operator who runs an
/// autopush of their own adds its origins (`FXA_PUSH_ALLOWED_ORIGINS`).
public struct PushEndpointPolicy: Sendable, Equatable {
    /// Host suffixes of Mozilla's push services, as FxA's default allows.
    static let mozillaHostSuffixes = [".services.mozilla.com", "autopush.dev.mozaws.net", "autopush.stage.mozaws.net"]

    /// Further origins (`https://push.example.org`, or `http://127.0.0.1:8082`
    /// for tests), matched exactly.
    public var extraOrigins: Set<String>

    public init(extraOrigins: Set<String> = []) {
        self.extraOrigins = extraOrigins
    }

    /// Whether `endpoint` may receive pushes: https on Mozilla's push
    /// service, or on one of the extra origins.
    public func allows(_ endpoint: String) -> Bool {
        guard endpoint.utf8.count <= 255, let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(),
              let host = url.host?.lowercased(), !host.isEmpty, url.user == nil, url.password == nil,
              host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) })
        else { return false }
        let origin = Self.origin(scheme: scheme, host: host, port: url.port)
        if extraOrigins.contains(origin) { return true }
        return scheme == "https" && Self.mozillaHostSuffixes.contains { host.hasSuffix($0) && host.count > $0.count }
    }

    /// `scheme://host[:port]`, without the scheme's default port, so that
    /// `https://push.example.org:443/x` matches `https://push.example.org`.
    static func origin(scheme: String, host: String, port: Int?) -> String {
        let defaultPort = scheme == "https" ? 443 : 80
        return "\(scheme)://\(host)" + (port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? "")
    }

    /// Parses `FXA_PUSH_ALLOWED_ORIGINS`: comma-separated `scheme://host[:port]`.
    static func origins(configuration text: String) -> Set<String>? {
        var origins: Set<String> = []
        for part in text.split(separator: ",") {
            let origin = part.trimmingCharacters(in: .whitespaces)
            guard let url = URLComponents(string: origin), ["http", "https"].contains(url.scheme ?? ""),
                  let host = url.host, !host.isEmpty, url.path.isEmpty, url.query == nil, url.user == nil
            else { return nil }
            origins.insert(Self.origin(scheme: url.scheme!.lowercased(), host: host.lowercased(), port: url.port))
        }
        return origins
    }
}
