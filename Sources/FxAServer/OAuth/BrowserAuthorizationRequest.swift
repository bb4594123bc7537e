import FxACore
import FxAStore
import Foundation
import Logging

/// A relying party's `GET /authorization` request, validated: every
/// parameter of FxA's integration guide (and the standard OAuth/OIDC ones)
/// as a typed value. The sign-in page carries it to
/// `POST /v1/oauth/authorization` once the user has signed in.
struct BrowserAuthorizationRequest: Sendable {
    /// Which first screen the RP asked for (`action`).
    enum Action: String, Sendable, Encodable {
        case email, signin, signup
        case forceAuth = "force_auth"
    }

    /// OIDC `prompt` values that FxA understands.
    enum Prompt: String, Sendable, Encodable, Comparable {
        case none, login, consent
        static func < (lhs: Prompt, rhs: Prompt) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var client: OAuthClientRecord
    /// Where the user goes back to: the registered URI the RP named, or
    /// the client's only registered one.
    var redirectURI: String
    /// `redirect_uri` as sent, if sent: the token request must repeat it.
    var requestedRedirectURI: String?
    var scope: OAuthScopeSet
    var state: String
    /// The guide asks every RP to send one; FxA does not refuse a request
    /// without it (PyFxA's `get_redirect_url` and standard OIDC clients send
    /// none), so neither does swift-fxa: the flow is logged as having none.
    var entrypoint: String?
    var action: Action
    /// The address the RP already knows (email-first, `force_auth`).
    var email: String?
    var loginHint: String?
    var prompt: Set<Prompt>
    var maxAge: Int?
    var acrValues: String?
    var offline: Bool
    var codeChallenge: String?
    var nonce: String?
    /// The RP's ephemeral P-256 public key for scoped keys, base64url JSON.
    var keysJWK: String?
    /// The propagated metrics flow, when its signature and age check out.
    var flow: MetricsFlowID?
    var metrics: FlowMetricsContext

    /// Whether the RP asked for two-step authentication (`acr_values`
    /// naming `AAL2`, the only value FxA acts on).
    var requiresTwoStep: Bool { AuthorizationParameters.requiresTwoStep(acrValues) }
}

/// Which sign-in page a request came to: the relying parties' page
/// (`/authorization`), or Firefox's WebChannel sign-in at the root
/// (`/?context=oauth_webchannel_v1`), which ends in messages to the
/// browser rather than a redirect.
enum SigninSurface: Sendable, Equatable {
    case relyingParty
    case webChannel
}

/// Why an authorization request was refused, which decides where the user
/// is told: RFC 6749 §4.1.2.1 forbids redirecting when the client or the
/// redirect URI is in doubt, and asks for a redirect with `error` otherwise.
enum AuthorizationRequestFailure: Error, Sendable {
    /// Shown on our own page (or as FxA's JSON error to API callers).
    case shownHere(FxAError)
    /// Sent back to the RP's registered redirect URI.
    case redirected(AuthorizationErrorRedirect)
}

/// An OAuth error delivered to the RP's redirect URI.
struct AuthorizationErrorRedirect: Sendable, Equatable {
    var redirectURI: String
    var error: String
    var description: String
    var state: String?
    /// Whether the browser may be sent there without asking the user.
    /// RFC 9700 §4.11.2: redirect automatically only to a URI the server
    /// trusts, or anyone could register a client and use its error
    /// redirects as an open redirector with this server's name on the
    /// link. Apps registered in the developer console by any account, and
    /// not marked trusted by the operator, get a page that says what went
    /// wrong and lets the user decide to return (``trusts(_:)``).
    var followsAutomatically = true

    /// Whether errors go to `client`'s redirect URI without a page between:
    /// the operator registered it (the CLI) or marked it trusted.
    static func trusts(_ client: OAuthClientRecord) -> Bool {
        client.trusted || !client.registeredInConsole
    }

    /// The full URL, with `error`, `error_description` and `state` added.
    /// The description keeps only the characters RFC 6749 §4.1.2.1 allows
    /// in it (printable ASCII but `"` and `\`).
    var location: String {
        let allowed = String(description.unicodeScalars.filter { (0x20...0x7E).contains($0.value) && $0 != "\"" && $0 != "\\" }.map(Character.init))
        var parameters = [("error", error), ("error_description", allowed)]
        if let state { parameters.append(("state", state)) }
        return AuthorizationCodeIssuer.appendingQuery(to: redirectURI, parameters)
    }
}

/// Checks `GET /authorization` parameters, in an order that settles the
/// client and redirect URI first (errors before that point are never
/// redirected anywhere).
struct BrowserAuthorizationValidator: Sendable {
    let clients: OAuthClientAuthenticator
    let flowKeys: MetricsFlowKeys
    let clock: any WallClock

    func validate(
        _ query: FormParameters, defaultAction: BrowserAuthorizationRequest.Action?, surface: SigninSurface = .relyingParty,
        logger: Logger
    ) async throws(AuthorizationRequestFailure) -> BrowserAuthorizationRequest {
        // Which client, and where to, must each be said once: with two
        // values there is no redirect URI to trust, so nothing is redirected.
        for name in ["client_id", "redirect_uri"] where query.duplicated.contains(name) {
            throw .shownHere(FxAError.duplicatedOAuthParameter(name))
        }
        let client: OAuthClientRecord
        let redirectURI: String
        do {
            client = try await clients.client(query["client_id"])
            redirectURI = try AuthorizationCodeIssuer.redirectURI(query["redirect_uri"], for: client)
            // Firefox's WebChannel redirect is a message to the browser,
            // never a place to send it: those clients, and only those, sign
            // in through the WebChannel page.
            switch surface {
            case .relyingParty: guard !redirectURI.hasPrefix("urn:") else { throw FxAError.webChannelSignInOnly() }
            case .webChannel: guard redirectURI == FirstPartyClients.webChannelRedirect else { throw FxAError.notWebChannelClient() }
            }
        } catch let error as FxAError {
            throw .shownHere(error)
        } catch {
            // An outage (the database), not the user's mistake: the operator needs the cause.
            logger.error("authorization request failed", metadata: ["cause": .string(String(reflecting: error))])
            throw .shownHere(.unexpected())
        }
        let state = query["state"].flatMap { $0.isEmpty || $0.count > 512 ? nil : $0 }
        func refuse(_ error: String, _ description: String) -> AuthorizationRequestFailure {
            // Firefox's redirect is not a place: its errors are shown here.
            if surface == .webChannel { return .shownHere(FxAError.refusedAuthorization(error, description)) }
            return .redirected(AuthorizationErrorRedirect(
                redirectURI: redirectURI, error: error, description: description, state: state,
                followsAutomatically: AuthorizationErrorRedirect.trusts(client)))
        }

        if let name = query.duplicated.sorted().first {
            throw refuse("invalid_request", FxAError.duplicatedOAuthParameter(name).message)
        }
        // Discovery says request_parameter_supported and
        // request_uri_parameter_supported are false: a request object
        // could carry anything (max_age=0, another redirect_uri), so one
        // that is ignored would silently change the request's meaning.
        if query["request"] != nil { throw refuse("request_not_supported", "Request objects are not supported") }
        if query["request_uri"] != nil { throw refuse("request_uri_not_supported", "request_uri is not supported") }
        if let responseType = query["response_type"], responseType != "code" {
            throw refuse("unsupported_response_type", "Only response_type=code is supported")
        }
        if let mode = query["response_mode"], mode != "query" {
            throw refuse("invalid_request", "Only response_mode=query is supported")
        }
        guard let state else { throw refuse("invalid_request", "state is required (at most 512 characters)") }
        guard let scopeText = query["scope"], let requested = RequestedScopes(parsing: scopeText), !requested.isEmpty else {
            throw refuse("invalid_scope", "scope is required: space-separated FxA scopes")
        }
        let scope = requested.set
        let refused = OAuthGrantPolicy.refused(requested, for: client)
        guard refused.isEmpty else {
            let description = ClientScopeRules.refusal(refused, client: client)
            // The developer's first failed sign-in: the log says why, not only `invalid_scope`.
            logger.notice("authorization refused: scope", metadata: [
                "client": .string(client.id.hex), "reason": .string(description)])
            throw refuse("invalid_scope", description)
        }

        let (metrics, invalidMetrics) = FlowMetricsContext.parse(query.values)
        if invalidMetrics.contains(where: FlowMetricsContext.entrypointNames.contains) {
            throw refuse("invalid_request", "entrypoint must be 1-128 letters, digits or . : _ -")
        }

        let challenge: String?
        do {
            challenge = try AuthorizationParameters.pkceChallenge(
                method: query["code_challenge_method"], challenge: query["code_challenge"])
        } catch {
            throw refuse("invalid_request", "PKCE needs code_challenge_method=S256 and a 43-character code_challenge")
        }
        if client.publicClient, challenge == nil {
            throw refuse("invalid_request", "Public clients must use PKCE (code_challenge_method=S256)")
        }

        let action: BrowserAuthorizationRequest.Action
        if let text = query["action"] {
            guard let parsed = BrowserAuthorizationRequest.Action(rawValue: text) else {
                throw refuse("invalid_request", "action must be email, signin, signup or force_auth")
            }
            action = parsed
        } else {
            action = defaultAction ?? .email
        }
        let email = query["email"]
        if let email, !Self.isPlausibleEmail(email) { throw refuse("invalid_request", "email is not an email address") }
        if action == .forceAuth, email == nil { throw refuse("invalid_request", "action=force_auth requires email") }
        let loginHint = query["login_hint"]
        if let loginHint, loginHint.isEmpty || loginHint.count > 255 { throw refuse("invalid_request", "login_hint is too long") }

        let offline: Bool
        do { offline = try AuthorizationParameters.offline(query["access_type"]) } catch {
            throw refuse("invalid_request", "access_type must be online or offline")
        }
        guard let prompt = Self.prompt(query["prompt"]) else {
            throw refuse("invalid_request", "prompt must be none, login or consent (none alone)")
        }
        var maxAge: Int?
        if let text = query["max_age"] {
            guard text.utf8.count <= 10, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text) else {
                throw refuse("invalid_request", "max_age must be a number of seconds")
            }
            maxAge = value
        }
        let acrValues = query["acr_values"]
        if let acrValues {
            // Free text, as FxA takes it; only AAL2 asks for anything.
            guard acrValues.count <= 256 else { throw refuse("invalid_request", "acr_values is too long") }
        }
        let nonce = query["nonce"]
        if let nonce, nonce.isEmpty || nonce.count > 256 { throw refuse("invalid_request", "nonce must be 1-256 characters") }
        let keysJWK = query["keys_jwk"]
        if let keysJWK, !Self.isPublicP256JWK(keysJWK) {
            throw refuse("invalid_request", "keys_jwk must be a base64url EC P-256 public JWK")
        }

        var flow: MetricsFlowID?
        if let flowID = query["flow_id"], let begin = query["flow_begin_time"] {
            flow = MetricsFlowID.verified(id: flowID, beginTime: begin, keys: (try? await flowKeys.accepted()) ?? [], now: clock.now())
        }
        return BrowserAuthorizationRequest(
            client: client, redirectURI: redirectURI, requestedRedirectURI: query["redirect_uri"], scope: scope, state: state,
            entrypoint: metrics.entrypoint, action: action, email: email, loginHint: loginHint, prompt: prompt, maxAge: maxAge,
            acrValues: acrValues, offline: offline, codeChallenge: challenge, nonce: nonce, keysJWK: keysJWK, flow: flow,
            metrics: metrics)
    }

    /// Space-separated `prompt` values; `none` only on its own (OIDC §3.1.2.1).
    static func prompt(_ text: String?) -> Set<BrowserAuthorizationRequest.Prompt>? {
        guard let text else { return [] }
        var values = Set<BrowserAuthorizationRequest.Prompt>()
        for word in text.split(separator: " ") {
            guard let value = BrowserAuthorizationRequest.Prompt(rawValue: String(word)) else { return nil }
            values.insert(value)
        }
        if values.isEmpty || (values.contains(.none) && values.count > 1) { return nil }
        return values
    }

    /// One `@` with something either side, no spaces or controls, at most
    /// 255 characters: the address itself is checked by the account API.
    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 255 && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// `keys_jwk`: base64url of `{"kty":"EC","crv":"P-256","x":…,"y":…}`
    /// naming a point on the curve, with no private part.
    static func isPublicP256JWK(_ text: String) -> Bool {
        text.count <= 1024 && P256PublicJWK(keysJWKParameter: text) != nil
    }
}
