import FxACore
import Foundation

/// What an RP configures: the provider, its client credentials, where the
/// provider sends the browser back, and the scopes it asks for. Everything
/// else comes from discovery.
public struct FxAClientConfiguration: Sendable {
    /// Which FxA (or OIDC provider) to talk to.
    public var provider: FxAProvider
    /// This RP's client id and, for a backend, its secret.
    public var credentials: FxAClientCredentials
    /// The registered redirect URI; the provider must match it exactly.
    public var redirectURI: URL
    /// Scopes asked for by default (FxA: `profile`, `openid`).
    public var scope: OAuthScopeSet
    /// How far clocks may disagree when checking `exp` and `iat`.
    public var clockSkew: TimeInterval
    /// How long a started sign-in may take before its callback is refused.
    public var authorizationLifetime: TimeInterval
    /// When to use PKCE (see ``PKCEUse``).
    public var pkce: PKCEUse = .automatic
    /// Whether an ID token must carry the request's `nonce`. Mozilla's FxA
    /// never puts one in (the code flow's back channel, PKCE or the secret,
    /// and `at_hash` bind the token instead), so the Mozilla presets do not
    /// require it; a nonce that is present must always match.
    public var requireIDTokenNonce: Bool

    /// A configuration with FxA's usual defaults: `profile openid`, 60 s skew, an hour to finish a sign-in.
    public init(
        provider: FxAProvider, credentials: FxAClientCredentials, redirectURI: URL,
        scope: OAuthScopeSet = OAuthScopeSet(["profile", "openid"].compactMap(OAuthScope.init)),
        clockSkew: TimeInterval = 60, authorizationLifetime: TimeInterval = 3600
    ) {
        self.provider = provider
        self.credentials = credentials
        self.redirectURI = redirectURI
        self.scope = scope
        self.clockSkew = clockSkew
        self.authorizationLifetime = authorizationLifetime
        requireIDTokenNonce = !provider.isMozilla
    }

    /// Reads `FXA_ISSUER` (a URL, or one of `production`, `stage`, `local`),
    /// `FXA_CLIENT_ID`, `FXA_CLIENT_SECRET` (absent: public client),
    /// `FXA_REDIRECT_URI` (or `redirectURI` when given) and `FXA_SCOPE`
    /// (space-separated). The secret comes from the environment so that it
    /// never has to be written into code or a config file in the repository.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, redirectURI: URL? = nil
    ) throws -> FxAClientConfiguration {
        let provider = try FxAProvider(named: environment["FXA_ISSUER"] ?? "local")
        guard let clientID = environment["FXA_CLIENT_ID"] else {
            throw FxAClientError.invalidConfiguration("FXA_CLIENT_ID is not set")
        }
        let secret = try environment["FXA_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : try ClientSecret($0) }
        guard let redirect = redirectURI ?? environment["FXA_REDIRECT_URI"].flatMap(URL.init(string:)) else {
            throw FxAClientError.invalidConfiguration("FXA_REDIRECT_URI is not set")
        }
        var configuration = FxAClientConfiguration(
            provider: provider, credentials: try FxAClientCredentials(clientID: clientID, secret: secret),
            redirectURI: redirect)
        if let text = environment["FXA_SCOPE"] {
            guard let scope = OAuthScopeSet(parsing: text, maximumLength: 1024), !scope.isEmpty else {
                throw FxAClientError.invalidConfiguration("FXA_SCOPE is not a space-separated list of scopes")
            }
            configuration.scope = scope
        }
        return configuration
    }
}
