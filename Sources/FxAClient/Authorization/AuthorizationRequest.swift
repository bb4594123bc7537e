import Crypto
import FxACore
import Foundation

/// Builds the URL that sends a user to the provider's `/authorization`.
///
/// What FxA's integration checklist makes mandatory is mandatory here by
/// construction: `client_id` and `scope` come from the configuration,
/// `entrypoint` is an argument of the initialiser, and `state`, the PKCE
/// pair and the `nonce` are generated, never supplied. The optional FxA
/// parameters are typed properties.
public struct AuthorizationRequest: Sendable {
    /// `access_type`: `offline` asks for a refresh token.
    public enum AccessType: String, Sendable { case online, offline }
    /// `action`: which page the provider opens first.
    public enum Action: String, Sendable {
        /// Email-first: the provider asks for the email, then signs in or up.
        case email
        case signin
        case signup
        /// Re-authenticate a known account; needs ``email``.
        case forceAuth = "force_auth"
    }
    /// `prompt` (OIDC).
    public enum Prompt: String, Sendable {
        /// Answer at once; `login_required` when the user is not signed in.
        case none
        /// Always ask for the password.
        case login
        /// Always show the consent screen.
        case consent
    }

    /// Where in the RP the user started (required by FxA, for its funnel metrics).
    public var entrypoint: Entrypoint
    /// The scopes asked for.
    public var scope: OAuthScopeSet
    /// `offline` (the default) also returns a refresh token, which lets the RP refetch the profile when FxA says it changed.
    public var accessType: AccessType = .offline
    /// Which page FxA opens first; `nil` lets it choose.
    public var action: Action?
    /// Prefills (with `action = .email`) or names (with `.forceAuth`) the account.
    public var email: String?
    /// OIDC `login_hint`: a suggested email, which the user may change.
    public var loginHint: String?
    /// OIDC `prompt`.
    public var prompt: Prompt?
    /// Ask for the scoped encryption keys of the key-bearing scopes in
    /// ``scope``: `prepare` then makes an ephemeral P-256 key pair, sends
    /// its public half as `keys_jwk`, and keeps the private half in the
    /// pending authorization, to open `keys_jwe` after the code exchange.
    public var scopedKeys = false
    /// Campaign attribution, sent as `utm_*`.
    public var utm = UTMParameters()
    /// The metrics flow from ``FxAClient/beginMetricsFlow(entrypoint:utm:)``
    /// for the self-hosted email-first form.
    public var metricsFlow: MetricsFlow?
    /// A local path to land on after the callback.
    public var returnTo: String?

    /// A request with only the required parts; set the optional ones before ``prepare(metadata:credentials:redirectURI:now:pkce:)``.
    public init(entrypoint: Entrypoint, scope: OAuthScopeSet) {
        self.entrypoint = entrypoint
        self.scope = scope
    }

    /// The URL to redirect to, and what to keep in the session for the
    /// callback. Fresh `state`, PKCE and `nonce` every call.
    public func prepare(
        metadata: ProviderMetadata, credentials: FxAClientCredentials, redirectURI: URL, now: Date,
        pkce: PKCEUse = .automatic
    ) throws -> (url: URL, pending: PendingAuthorization) {
        if action == .forceAuth, email == nil {
            throw FxAClientError.invalidConfiguration("action force_auth needs an email")
        }
        let ephemeral = scopedKeys ? P256.KeyAgreement.PrivateKey() : nil
        var pending = PendingAuthorization(
            state: SecureRandom.bytes(32).base64URLEncodedString,
            pkce: pkce.applies(publicClient: credentials.isPublicClient, metadata: metadata) ? PKCEPair() : nil,
            nonce: SecureRandom.bytes(16).base64URLEncodedString, redirectURI: redirectURI,
            scope: scope.description, createdAt: now, returnTo: returnTo.flatMap(LocalPath.validated))
        pending.scopedKeysPrivateKey = ephemeral?.rawRepresentation.base64URLEncodedString
        var items = [
            URLQueryItem(name: "client_id", value: credentials.clientID),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "redirect_uri", value: redirectURI.absoluteString),
            URLQueryItem(name: "scope", value: scope.description),
            URLQueryItem(name: "state", value: pending.state),
            URLQueryItem(name: "nonce", value: pending.nonce),
            URLQueryItem(name: "entrypoint", value: entrypoint.value),
            URLQueryItem(name: "access_type", value: accessType.rawValue),
        ]
        if let pair = pending.pkce {
            items.append(URLQueryItem(name: "code_challenge", value: pair.challenge))
            items.append(URLQueryItem(name: "code_challenge_method", value: PKCEPair.method))
        }
        if let action { items.append(URLQueryItem(name: "action", value: action.rawValue)) }
        if let email { items.append(URLQueryItem(name: "email", value: email)) }
        if let loginHint { items.append(URLQueryItem(name: "login_hint", value: loginHint)) }
        if let prompt { items.append(URLQueryItem(name: "prompt", value: prompt.rawValue)) }
        if let ephemeral {
            items.append(URLQueryItem(name: "keys_jwk", value: try P256PublicJWK(ephemeral.publicKey).keysJWKParameter))
        }
        if let metricsFlow {
            items.append(URLQueryItem(name: "flow_id", value: metricsFlow.flowID))
            items.append(URLQueryItem(name: "flow_begin_time", value: String(metricsFlow.flowBeginTime)))
            if let deviceID = metricsFlow.deviceID { items.append(URLQueryItem(name: "device_id", value: deviceID)) }
        }
        items += utm.queryItems
        guard var components = URLComponents(url: metadata.authorizationEndpoint, resolvingAgainstBaseURL: false) else {
            throw FxAClientError.discoveryFailed("authorization endpoint is not a URL")
        }
        components.queryItems = (components.queryItems ?? []) + items
        // `+` in a query means a space to form decoders; encode it (scopes
        // and emails may contain one).
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw FxAClientError.invalidConfiguration("cannot build the URL") }
        return (url, pending)
    }
}

/// A local path for "return to after sign-in": one leading slash, no
/// scheme or host, so it can never become an open redirect.
public enum LocalPath {
    /// The path when it is local, `nil` otherwise.
    public static func validated(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.hasPrefix("/\\"), path.count <= 2048,
              !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" })
        else { return nil }
        return path
    }
}
