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
struct AuthorizationPageController: RouteCollection {
    let validator: BrowserAuthorizationValidator
    let publicURL: PublicBaseURL
    let keyBearingScopes: KeyBearingScopes

    func boot(routes: any RoutesBuilder) throws {
        routes.get("authorization") { try await show($0, defaultAction: nil) }
        routes.get("oauth") { try await show($0, defaultAction: nil) }
        routes.get("oauth", "signin") { try await show($0, defaultAction: .signin) }
        routes.get("oauth", "signup") { try await show($0, defaultAction: .signup) }
        routes.get("oauth", "force_auth") { try await show($0, defaultAction: .forceAuth) }
        routes.get("v1", "authorization", use: redirectToPage)
        routes.get("assets", "onepw.js") { _ in Self.asset(OnepwScript.source, type: "application/javascript; charset=utf-8") }
        routes.get("assets", "signin.js") { _ in Self.asset(SigninScript.source, type: "application/javascript; charset=utf-8") }
        routes.get("assets", "settings.js") { _ in Self.asset(SettingsScript.source, type: "application/javascript; charset=utf-8") }
        routes.get("assets", "fxa.css") { _ in Self.asset(PageStyle.source, type: "text/css; charset=utf-8") }
    }

    func show(_ request: Request, defaultAction: BrowserAuthorizationRequest.Action?) async throws -> Response {
        let query = try request.query.decode([String: String].self)
        let authorization: BrowserAuthorizationRequest
        do {
            authorization = try await validator.validate(query, defaultAction: defaultAction, logger: request.logger)
        } catch .redirected(let redirect) {
            request.logger.info("authorization.refused", metadata: [
                "client_id": .string(query["client_id"] ?? ""), "error": .string(redirect.error),
            ])
            return request.redirect(to: redirect.location, redirectType: .normal)
        } catch .shownHere(let error) {
            if Self.prefersJSON(request) { throw error }
            return Self.html(ErrorPage(error: error).render(), status: HTTPResponseStatus(statusCode: error.status))
        }
        logFlow(authorization, query: query, request: request)
        if authorization.prompt.contains(.none) {
            // No browser session survives a page load yet (the web pages
            // issue adds one), so a silent sign-in can never succeed.
            let redirect = AuthorizationErrorRedirect(
                redirectURI: authorization.redirectURI, error: "login_required",
                description: "The user is not signed in", state: authorization.state)
            return request.redirect(to: redirect.location, redirectType: .normal)
        }
        let page = SigninPage(request: authorization, keyBearingScopes: keyBearingScopes)
        let response = Self.html(try page.render(), status: .ok)
        response.headers.replaceOrAdd(name: .contentSecurityPolicy, value: page.contentSecurityPolicy)
        return response
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

    private static func html(_ body: String, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(string: body))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(
            name: .contentSecurityPolicy,
            value: "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        return response
    }

    private static func asset(_ source: String, type: String) -> Response {
        let response = Response(status: .ok, body: .init(string: source))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
