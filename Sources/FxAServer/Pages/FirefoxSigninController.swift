import FxACore
import Vapor

/// `GET /`: where Firefox opens its sign-in. Firefox builds the URL itself
/// from `identity.fxaccounts.remote.root` (FxAccountsConfig.sys.mjs,
/// `promiseConnectAccountURI`): the root with `context=oauth_webchannel_v1`,
/// its own OAuth parameters (client `5882386c6d801776`, PKCE, `keys_jwk`),
/// `service=sync`, `action=email` and an `entrypoint`.
///
/// Without a `context` the root is the account: its settings, which send
/// a signed-out browser to sign in first; a development server shows a
/// signed-out browser what to do next instead. An older Firefox context
/// (`fx_desktop_v3`, whose keys Firefox fetched itself) is refused with a
/// page that says so, since this server implements only the OAuth one.
struct FirefoxSigninController: RouteCollection {
    let validator: BrowserAuthorizationValidator
    let keyBearingScopes: KeyBearingScopes
    let gate: WebPageGate
    /// Shown at `/` to a signed-out browser; `nil` outside development mode.
    let developmentLanding: DevelopmentLandingPage?

    /// The only WebChannel context this server speaks (Firefox ESR 140 and later).
    static let oauthContext = "oauth_webchannel_v1"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: root)
    }

    /// The root without a context: settings when signed in, else the
    /// development landing page or (production) sign-in by way of settings.
    func account(_ request: Request) async throws -> Response {
        if let developmentLanding, try await gate.signedIn(request) == nil {
            return try await request.render(developmentLanding)
        }
        return gate.redirect(request, to: WebPagePaths.settings)
    }

    @Sendable func root(_ request: Request) async throws -> Response {
        let query: FormParameters
        do {
            query = try FormParameters(encoded: request.url.query ?? "")
        } catch {
            return try await request.renderError(error)
        }
        let repeated = query.duplicated.contains("context")
        guard let context = query["context"] ?? (repeated ? "" : nil) else { return try await account(request) }
        guard context == Self.oauthContext, !repeated else {
            return try await request.renderError(.unsupportedWebChannelContext())
        }
        let authorization: BrowserAuthorizationRequest
        do {
            authorization = try await validator.validate(query, defaultAction: nil, surface: .webChannel, logger: request.logger)
        } catch .shownHere(let error) {
            return try await request.renderError(error)
        } catch .redirected(let redirect) {
            // Never for this surface; shown all the same rather than followed.
            return try await request.render(ErrorPage(refused: redirect), status: .badRequest)
        }
        request.logger.info("flow.firefox_signin", metadata: [
            "client_id": .string(authorization.client.id.hex), "entrypoint": .string(authorization.entrypoint ?? "none"),
        ])
        let page = FirefoxSigninPage(
            signin: SigninPage(request: authorization, keyBearingScopes: keyBearingScopes), webChannelContext: context,
            service: query["service"])
        return try await request.render(page)
    }
}
