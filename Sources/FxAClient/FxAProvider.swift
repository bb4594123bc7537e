import Foundation

/// Which FxA deployment a relying party talks to. Everything else the RP kit
/// needs (endpoints, keys) is discovered from the provider's
/// `/.well-known/openid-configuration`, so switching between Mozilla's
/// servers and a self-hosted `fxa-server` is a configuration change only.
public struct FxAProvider: Sendable, Equatable {
    /// The OIDC issuer; discovery lives under it.
    public var issuer: URL

    public init(issuer: URL) {
        self.issuer = issuer
    }

    /// Mozilla's production accounts service.
    public static let production = FxAProvider(issuer: URL(string: "https://accounts.firefox.com")!)
    /// Mozilla's stage environment, for RPs testing their integration.
    public static let stage = FxAProvider(issuer: URL(string: "https://accounts.stage.mozaws.net")!)
    /// A local `fxa-server` started with `swift run fxa-server`.
    public static let local = FxAProvider(issuer: URL(string: "http://127.0.0.1:9000")!)

    /// Where the provider publishes its OpenID Provider metadata.
    public var discoveryURL: URL {
        issuer.appendingPathComponent(".well-known").appendingPathComponent("openid-configuration")
    }
}
