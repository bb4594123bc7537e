import FxACore
import Foundation

/// The minimal sign-in page that `/authorization` shows: email first, then
/// password (sign-in or sign-up), an emailed code when the server asks for
/// one, consent for clients that are not trusted, and the return to the RP.
struct SigninPage: RenderedPage {
    let request: BrowserAuthorizationRequest
    /// Whether to show the consent step before the code is issued.
    var askConsent: Bool { Self.asksConsent(request) }
    /// The browser's signed-in account, when the request may use it
    /// (``SingleSignOn``): the page offers to continue as it.
    var signedIn: (email: String, csrfToken: String)?

    /// Untrusted clients always ask (no consent is remembered), and any
    /// client with `prompt=consent`.
    static func asksConsent(_ request: BrowserAuthorizationRequest) -> Bool {
        !request.client.trusted || request.prompt.contains(.consent)
    }

    /// Whether the page will derive scoped keys: the RP sent `keys_jwk`
    /// and asked for a key-bearing scope it may have.
    static func wantsKeys(_ request: BrowserAuthorizationRequest, keyBearingScopes: KeyBearingScopes) -> Bool {
        request.keysJWK != nil && !keyBearingScopes.keys(for: request.scope, client: request.client).isEmpty
    }

    /// What the page's script needs; no secret is in it.
    struct ScriptData: Encodable {
        var clientId: String
        var clientName: String
        var scope: String
        var state: String
        var redirectUri: String?
        var accessType: String
        var codeChallenge: String?
        var nonce: String?
        var action: String
        var email: String?
        var loginHint: String?
        var askConsent: Bool
        var denyRedirect: String
        /// The RP's `acr_values`, sent on with the authorization.
        var acrValues: String?
        /// Where to send the user back when the RP requires two-step
        /// authentication and the account has none (OIDC's
        /// `unmet_authentication_requirements`).
        var unmetRedirect: String
        /// The verified metrics flow, sent on as `metricsContext` with the
        /// account calls as FxA's pages do; absent when none was valid.
        var flowId: String?
        var flowBeginTime: Int64?
        /// The RP's `keys_jwk`, only when it asked for a key-bearing scope:
        /// the page then derives and encrypts the scoped keys.
        var keysJwk: String?
        /// The signed-in account to continue as, and the web session's
        /// CSRF token for the call that does it; absent otherwise.
        var signedInEmail: String?
        var csrfToken: String?
        /// Present only on Firefox's WebChannel sign-in: the page then
        /// talks to the browser instead of redirecting (``FirefoxSigninPage``).
        var webChannel: WebChannelData?
    }

    /// What the WebChannel sign-in tells Firefox, and in which words.
    struct WebChannelData: Encodable {
        /// `context` as Firefox sent it (`oauth_webchannel_v1`), echoed in
        /// `fxaccounts:fxa_status`.
        var context: String
        /// `service` (`sync` for Firefox's own sign-in).
        var service: String?
        /// The redirect named in `fxaccounts:oauth_login`.
        var redirect: String
    }

    /// Which scopes carry keys on this server.
    var keyBearingScopes: KeyBearingScopes = .default

    /// The Content-Security-Policy for the page: our script and style only,
    /// API calls to our origin only, and the client's icon from its origin.
    var contentSecurityPolicy: ContentSecurityPolicy {
        ContentSecurityPolicy(scripts: true, imageOrigins: [Self.imageOrigin(request.client.imageURI)].compactMap { $0 }, forms: true)
    }

    static let template = PageTemplate.authorization

    /// What the template shows. The signed-in email is in the script data
    /// only: the script fills it in when it shows that step.
    struct Context: Encodable, Sendable {
        let title: String
        let clientName: String
        /// Only an https icon (``imageOrigin(_:)``).
        let iconURL: String?
        let signedIn: Bool
        /// Each requested scope in plain words, for the consent step.
        let scopes: [String]
        /// Where the user is sent back to: the site asking, by its host,
        /// which a look-alike name cannot fake.
        let clientHost: String
        let scriptData: String
    }

    func context() throws -> Context {
        let client = request.client
        return Context(
            title: "Sign in to continue to \(client.name)", clientName: client.name,
            iconURL: Self.imageOrigin(client.imageURI) != nil ? client.imageURI : nil, signedIn: signedIn != nil,
            scopes: request.scope.sortedValues.map(Self.describe),
            clientHost: URLComponents(string: request.redirectURI)?.host ?? request.redirectURI,
            scriptData: try ScriptJSON.encode(scriptData()))
    }

    /// What the page's script reads from its data block.
    func scriptData() -> ScriptData {
        let client = request.client
        let deny = AuthorizationErrorRedirect(
            redirectURI: request.redirectURI, error: "access_denied", description: "The user declined", state: request.state)
        let unmet = AuthorizationErrorRedirect(
            redirectURI: request.redirectURI, error: "unmet_authentication_requirements",
            description: "The account has no two-step authentication", state: request.state)
        return ScriptData(
            clientId: client.id.hex, clientName: client.name, scope: request.scope.description, state: request.state,
            redirectUri: request.requestedRedirectURI, accessType: request.offline ? "offline" : "online",
            codeChallenge: request.codeChallenge, nonce: request.nonce, action: request.action.rawValue,
            email: request.email, loginHint: request.loginHint, askConsent: askConsent, denyRedirect: deny.location,
            acrValues: request.acrValues, unmetRedirect: unmet.location,
            flowId: request.flow?.id, flowBeginTime: request.flow?.beginTime,
            keysJwk: Self.wantsKeys(request, keyBearingScopes: keyBearingScopes) ? request.keysJWK : nil,
            signedInEmail: signedIn?.email, csrfToken: signedIn?.csrfToken)
    }

    /// A scope in plain words, for the consent step.
    static func describe(_ scope: String) -> String {
        switch scope {
        case "openid": "Know who you are (your account id)"
        case "profile": "See your profile: email address, name, picture and language"
        case "profile:uid": "Know your account id"
        case "profile:email": "See your email address"
        case "profile:display_name": "See your display name"
        case "profile:avatar": "See your profile picture"
        case "profile:locale": "See your language"
        case "profile:write": "Change your profile"
        case "email": "See your email address"
        case "https://identity.mozilla.com/apps/oldsync": "Read and write your Firefox Sync data"
        case "https://identity.mozilla.com/account/subscriptions": "See your subscriptions"
        default: "Use: \(scope)"
        }
    }

    /// `https://host[:port]` of an https icon URI; icons over plain http
    /// are not shown (mixed content, and trivially swapped in transit).
    static func imageOrigin(_ uri: String?) -> String? {
        guard let uri, let components = URLComponents(string: uri), components.scheme == "https",
              let host = components.host, !host.isEmpty,
              host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-") })
        else { return nil }
        return "https://" + host + (components.port.map { ":\($0)" } ?? "")
    }
}
