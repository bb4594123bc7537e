import FxACore
import Vapor

/// `GET /authorization`: where relying parties send their users. FxA's
/// content-server paths (`/oauth/`, `/oauth/signin`, `/oauth/signup`,
/// `/oauth/force_auth`) lead to the same page, and `GET /v1/authorization`
/// redirects here as FxA's auth server does.
///
/// A valid request gets the sign-in page; an unknown client or
/// unregistered redirect URI gets an error page (never a redirect); any
/// other invalid parameter is reported to the RP at its registered
/// redirect URI with `error`, `error_description` and `state`.
///
/// A browser with a web session is offered to continue as its account
/// (``SingleSignOn``), through `POST /v1/web/authorization`; with
/// `prompt=none` it gets its code at once when no consent is needed, and
/// otherwise the OIDC error that says why not.
struct AuthorizationPageController: RouteCollection {
    let validator: BrowserAuthorizationValidator
    let publicURL: PublicBaseURL
    let keyBearingScopes: KeyBearingScopes
    let gate: WebPageGate
    let codes: AuthorizationCodeIssuer
    let clock: any WallClock

    func boot(routes: any RoutesBuilder) throws {
        routes.get("authorization") { try await show($0, defaultAction: nil) }
        // OIDC Core §3.1.2.1: the authorization endpoint takes POST too, its
        // parameters as a form body (the browser sends no SameSite=Lax
        // cookie on a cross-site POST, so such a request signs in afresh).
        routes.on(.POST, "authorization", body: .collect(maxSize: "64kb")) { try await show($0, defaultAction: nil) }
        routes.get("oauth") { try await show($0, defaultAction: nil) }
        routes.get("oauth", "signin") { try await show($0, defaultAction: .signin) }
        routes.get("oauth", "signup") { try await show($0, defaultAction: .signup) }
        routes.get("oauth", "force_auth") { try await show($0, defaultAction: .forceAuth) }
        routes.get("v1", "authorization", use: redirectToPage)
        routes.post("v1", "web", "authorization", use: authorizeWebSession)
    }

    func show(_ request: Request, defaultAction: BrowserAuthorizationRequest.Action?) async throws -> Response {
        let query: FormParameters
        do {
            query = try Self.parameters(of: request)
        } catch {
            if Self.prefersJSON(request) { throw error }
            return try await request.renderError(error)
        }
        let authorization: BrowserAuthorizationRequest
        do {
            authorization = try await validator.validate(query, defaultAction: defaultAction, logger: request.logger)
        } catch .redirected(let redirect) {
            request.logger.info("authorization.refused", metadata: [
                "client_id": .string(query["client_id"] ?? ""), "error": .string(redirect.error),
            ])
            return try await Self.send(redirect, request)
        } catch .shownHere(let error) {
            if Self.prefersJSON(request) { throw error }
            return try await request.renderError(error)
        }
        logFlow(authorization, query: query.values, request: request)
        let current = try await gate.signedIn(request)
        let singleSignOn = SingleSignOn.decide(
            authorization, session: current,
            keysWanted: SigninPage.wantsKeys(authorization, keyBearingScopes: keyBearingScopes), now: clock.now())
        if authorization.prompt.contains(.none) {
            return try await silentSignIn(request, authorization, current: current, singleSignOn)
        }
        var page = SigninPage(request: authorization, keyBearingScopes: keyBearingScopes)
        if singleSignOn == .available, let current {
            page.signedIn = (current.account.primaryEmail, current.csrfToken)
        }
        return try await request.render(page)
    }

    /// An error for the RP: a redirect to its URI, or for an app the
    /// server does not trust with automatic redirects a page that says what
    /// went wrong and offers the way back (RFC 9700 §4.11.2).
    private static func send(_ redirect: AuthorizationErrorRedirect, _ request: Request) async throws -> Response {
        guard redirect.followsAutomatically else {
            return try await request.render(ErrorPage(refused: redirect), status: .badRequest)
        }
        return request.redirect(to: redirect.location, redirectType: .normal)
    }

    /// The request's parameters: the query of a GET, the form body of a
    /// POST (which must be a form: 415 errno 113 otherwise).
    private static func parameters(of request: Request) throws(FxAError) -> FormParameters {
        request.method == .POST ? try request.formParameters() : try FormParameters(encoded: request.url.query ?? "")
    }

    /// `prompt=none` (OIDC Core §3.1.2.1): a code at once for a signed-in
    /// browser that needs no consent; otherwise the RP hears why, at its
    /// registered redirect URI, and no page is shown.
    private func silentSignIn(
        _ request: Request, _ authorization: BrowserAuthorizationRequest, current: WebSessions.Current?,
        _ singleSignOn: SingleSignOn.Decision
    ) async throws -> Response {
        let refusal: (error: String, reason: String)?
        switch singleSignOn {
        case let .unavailable(error, reason): refusal = (error, reason)
        case .available where SigninPage.asksConsent(authorization):
            refusal = ("consent_required", "The user has to allow this app")
        case .available: refusal = nil
        }
        guard let current, refusal == nil else {
            let redirect = AuthorizationErrorRedirect(
                redirectURI: authorization.redirectURI, error: refusal?.error ?? "login_required",
                description: refusal?.reason ?? "The user is not signed in", state: authorization.state,
                followsAutomatically: AuthorizationErrorRedirect.trusts(authorization.client))
            return try await Self.send(redirect, request)
        }
        let body = SessionAuthorizationRequest(
            client_id: authorization.client.id.hex, state: authorization.state, scope: authorization.scope.description,
            response_type: "code", redirect_uri: authorization.requestedRedirectURI,
            access_type: authorization.offline ? "offline" : "online",
            code_challenge_method: authorization.codeChallenge == nil ? nil : "S256",
            code_challenge: authorization.codeChallenge, keys_jwe: nil, acr_values: authorization.acrValues, prompt: nil,
            nonce: authorization.nonce, service: nil)
        let issued = try await codes.issue(try await codes.grant(for: body, session: current.token))
        return request.redirect(to: issued.redirect, redirectType: .normal)
    }

    /// `POST /v1/web/authorization`: what the page's "Continue" sends for
    /// a signed-in browser, the body of `/v1/oauth/authorization` on the web
    /// session (our origin and its CSRF token). Never with `keys_jwe`: keys
    /// need the password, so such a sign-in goes through it.
    @Sendable func authorizeWebSession(_ request: Request) async throws -> AuthorizationCodeResponse {
        let current = try await gate.scriptCall(request)
        let body = try request.oauthBody(SessionAuthorizationRequest.self)
        guard body.keys_jwe == nil else { throw FxAError.invalidOAuthParameter(["keys_jwe"]) }
        return try await codes.issue(try await codes.grant(for: body, session: current.token))
    }

    /// FxA's auth-server route only forwards to the content server, and
    /// refuses `keys_jwk`, which must never transit the OAuth server (errno
    /// 109). Here the page is on the same server, so it forwards the query.
    @Sendable func redirectToPage(_ request: Request) async throws -> Response {
        let query = try request.query.decode([String: String].self)
        if query["keys_jwk"] != nil { throw FxAError.invalidOAuthParameter(["keys_jwk"]) }
        let target = publicURL.appending("/authorization") + (request.url.query.map { "?" + $0 } ?? "")
        return request.redirect(to: target, redirectType: .normal)
    }

    /// Logs the flow with its metrics fields; a flow id that fails its
    /// signature or age check is dropped from metrics, never fatal.
    private func logFlow(_ authorization: BrowserAuthorizationRequest, query: [String: String], request: Request) {
        var metadata = authorization.metrics.logMetadata(doNotTrack: request.headers.first(name: "DNT") == "1")
        metadata["client_id"] = .string(authorization.client.id.hex)
        if let flow = authorization.flow {
            metadata["flow_id"] = .string(flow.id)
        } else if query["flow_id"] != nil || query["flow_begin_time"] != nil {
            request.logger.warning("flow id dropped: bad signature, stale or incomplete", metadata: [
                "client_id": .string(authorization.client.id.hex),
            ])
        }
        if authorization.entrypoint == nil {
            metadata["entrypoint"] = "none"
        }
        request.logger.info("flow.authorization", metadata: metadata)
    }

    private static func prefersJSON(_ request: Request) -> Bool {
        let accept = request.headers.first(name: .accept) ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}
