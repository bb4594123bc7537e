import Foundation

/// Which FxA deployment a relying party talks to. Everything else the RP kit
/// needs (endpoints, keys) is discovered from the provider's
/// `/.well-known/openid-configuration`, so switching between Mozilla's
/// servers, a self-hosted `fxa-server` and any standard OIDC provider is a
/// configuration change only.
public struct FxAProvider: Sendable, Equatable {
    /// The OIDC issuer; discovery lives under it, and ID tokens and SETs
    /// must name it as their `iss`.
    public var issuer: URL

    /// A provider by its issuer URL (discovery is fetched from under it).
    public init(issuer: URL) {
        self.issuer = issuer
    }

    /// Mozilla's production accounts service.
    public static let production = FxAProvider(issuer: URL(string: "https://accounts.firefox.com")!)
    /// Mozilla's stage environment, for RPs testing their integration.
    public static let stage = FxAProvider(issuer: URL(string: "https://accounts.stage.mozaws.net")!)
    /// A local `fxa-server` started with `swift run fxa-server`.
    public static let local = FxAProvider(issuer: URL(string: "http://127.0.0.1:9000")!)

    /// Whether this is one of Mozilla's own deployments, whose ID tokens
    /// carry no `nonce`.
    public var isMozilla: Bool { self == .production || self == .stage }

    /// `production`, `stage`, `local`, or an issuer URL (http or https).
    public init(named name: String) throws {
        switch name {
        case "production": self = .production
        case "stage": self = .stage
        case "local": self = .local
        default:
            guard let url = URL(string: name), let scheme = url.scheme, ["http", "https"].contains(scheme),
                  url.host != nil, url.query == nil, url.fragment == nil
            else { throw FxAClientError.invalidConfiguration("issuer must be production, stage, local or an http(s) URL") }
            self.init(issuer: url)
        }
    }

    /// Where the provider publishes its OpenID Provider metadata.
    public var discoveryURL: URL {
        issuer.appendingPathComponent(".well-known").appendingPathComponent("openid-configuration")
    }

    /// The issuer as ID tokens write it: without a trailing slash.
    public var issuerString: String {
        let text = issuer.absoluteString
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
