/// `GET /` of a development server, signed out: what is running and what a
/// developer does next, in the order they do it. A signed-in browser goes
/// to its settings instead, and a production server sends a signed-out
/// browser straight to sign in, as FxA's root does.
///
/// The URLs are the configured public URL's, so what the page shows is
/// what the developer pastes into their relying party.
struct DevelopmentLandingPage: RenderedPage {
    static let template = PageTemplate.developmentLanding

    struct Context: Encodable, Sendable {
        let title = "Your accounts server is running"
        let publicURL: String
        let signinPath: String
        let mailboxURL: String
        let discoveryURL: String
        let consolePath: String
        let clientCommand: String
    }

    let publicURL: PublicBaseURL
    var contentSecurityPolicy: ContentSecurityPolicy { .textPage }

    func context() -> Context {
        Context(
            publicURL: publicURL.string, signinPath: WebPagePaths.signin(next: WebPagePaths.settings),
            mailboxURL: publicURL.appending("/__mail__"),
            discoveryURL: publicURL.appending("/.well-known/openid-configuration"),
            consolePath: WebPagePaths.console,
            clientCommand: "swift run fxa-server client create --name \"My site\" "
                + "--redirect-uri http://127.0.0.1:8000/callback")
    }
}
