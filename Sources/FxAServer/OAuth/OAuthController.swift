import FxACore
import FxAStore
import Vapor

/// The OAuth routes: codes for a signed-in session, and the token endpoint.
struct OAuthController: RouteCollection {
    let codes: AuthorizationCodeIssuer
    let tokens: OAuthTokenService
    let registry: OAuthTokenRegistry
    let authenticator: TokenAuthenticator

    func boot(routes: any RoutesBuilder) throws {
        routes.post("v1", "oauth", "authorization", use: authorizeSession)
        routes.post("v1", "authorization", use: authorizeSession)
        routes.post("v1", "token", use: token)
        routes.post("v1", "oauth", "token", use: sessionRouteToken)
        routes.post("v1", "verify", use: verify)
        routes.post("v1", "introspect", use: introspect)
        routes.get("v1", "client", ":client_id", use: clientInfo)
        routes.post("v1", "destroy", use: destroy)
        routes.post("v1", "oauth", "destroy", use: revoke)
    }

    /// A code for the signed-in session's account (PyFxA's
    /// `authorize_code`, FxA's own pages): Bearer `fxs_` or Hawk.
    @Sendable func authorizeSession(_ request: Request) async throws -> AuthorizationCodeResponse {
        let session = try await authenticator.authenticate(request, as: [.sessionToken])
        let body = try request.oauthBody(SessionAuthorizationRequest.self)
        return try await codes.issue(try await codes.grant(for: body, session: session.stored))
    }

    @Sendable func verify(_ request: Request) async throws -> VerifyResponse {
        try await registry.verify(try request.oauthBody(VerifyRequest.self))
    }

    @Sendable func introspect(_ request: Request) async throws -> IntrospectResponse {
        try await registry.introspect(try request.oauthBody(IntrospectRequest.self))
    }

    /// Public facts about a client: name, logo, trust, redirect URI(s),
    /// comma-separated as FxA's field is.
    @Sendable func clientInfo(_ request: Request) async throws -> ClientInfoResponse {
        let client = try await registry.clients.client(request.parameters.get("client_id"))
        return ClientInfoResponse(
            id: client.id.hex, name: client.name, trusted: client.trusted, image_uri: client.imageURI,
            redirect_uri: client.redirectURIs.joined(separator: ","))
    }

    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        try await registry.destroy(try request.oauthBody(DestroyTokenRequest.self), request: request)
        return EmptyJSON()
    }

    @Sendable func revoke(_ request: Request) async throws -> EmptyJSON {
        try await registry.revoke(try request.oauthBody(DestroyTokenRequest.self), request: request)
        return EmptyJSON()
    }

    /// `POST /v1/token`: the OAuth server's token endpoint. A session
    /// header makes `fxa-credentials` work here too (there are no BrowserID
    /// assertions in swift-fxa to carry it otherwise).
    @Sendable func token(_ request: Request) async throws -> TokenResponse {
        try await exchange(request, sessionRoute: false)
    }

    /// `POST /v1/oauth/token`: the auth server's twin that Firefox calls with
    /// its session (Hawk or Bearer). As in FxA, an invalid refresh token is
    /// reported with the auth errno 110 here, not the OAuth errno 108.
    @Sendable func sessionRouteToken(_ request: Request) async throws -> TokenResponse {
        do {
            return try await exchange(request, sessionRoute: true)
        } catch let error as FxAError where error.errno == .oauth(.invalidToken) {
            throw FxAError.invalidToken()
        }
    }

    private func exchange(_ request: Request, sessionRoute: Bool) async throws -> TokenResponse {
        let body = try request.oauthBody(TokenRequest.self)
        let grant = try OAuthTokenService.grant(of: body, sessionRoute: sessionRoute)
        guard grant == .fxaCredentials else { return try await tokens.exchange(body, grant: grant, request: request) }
        let session = try await authenticator.authenticate(request, as: [.sessionToken])
        return try await tokens.credentialsGrant(body, session: session, request: request)
    }
}
