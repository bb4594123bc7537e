import FxACore
import FxAStore
import Vapor

/// The OAuth routes: codes for a signed-in session, and the token endpoint.
struct OAuthController: RouteCollection {
    let codes: AuthorizationCodeIssuer
    let authorizationCodeGrant: AuthorizationCodeGrant
    let refreshTokenGrant: RefreshTokenGrant
    let fxaCredentialsGrant: FxACredentialsGrant
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
        let body = try request.oauthBody(DestroyTokenRequest.self)
        // The credentials are read after the token is found (FxA's order).
        try await registry.destroy(body) { try Self.credentials(of: body, request) }
        return EmptyJSON()
    }

    @Sendable func revoke(_ request: Request) async throws -> EmptyJSON {
        let body = try request.oauthBody(DestroyTokenRequest.self)
        try await registry.revoke(body, client: try Self.credentials(of: body, request))
        return EmptyJSON()
    }

    private static func credentials(of body: DestroyTokenRequest, _ request: Request) throws -> ClientCredentials {
        try ClientCredentials(bodyClientID: body.client_id, bodySecret: body.client_secret, headers: request.headers)
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

    /// Decodes the request at the edge and hands it to its grant. A new
    /// grant is a file in `Grants/` and a case here.
    private func exchange(_ request: Request, sessionRoute: Bool) async throws -> TokenResponse {
        let form = try request.oauthBody(TokenRequestForm.self)
        // fxa-credentials is authorized by the session: an unauthenticated
        // caller hears 110 before anything about its form (as in FxA).
        let session = TokenRequest.asksForFxACredentials(form, sessionRoute: sessionRoute)
            ? try await authenticator.authenticate(request, as: [.sessionToken]) : nil
        let token = try TokenRequest(form: form, headers: request.headers, sessionRoute: sessionRoute)
        switch token.grant {
        case .authorizationCode(let parameters):
            return try await authorizationCodeGrant.exchange(parameters, client: token.client, ttl: token.ttl)
        case .refreshToken(let parameters):
            return try await refreshTokenGrant.exchange(parameters, client: token.client, ttl: token.ttl)
        case .fxaCredentials(let parameters):
            guard let session else { throw FxAError.invalidToken("Missing authentication") }
            return try await fxaCredentialsGrant.exchange(parameters, client: token.client, ttl: token.ttl, session: session)
        }
    }
}
