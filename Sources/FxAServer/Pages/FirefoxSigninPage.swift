import FxACore
import FxAStore

/// Firefox's own sign-in (`/?context=oauth_webchannel_v1&…`): the same
/// email, password and code steps as an RP's page, then a "choose what to
/// sync" step for a new account, and the end that Firefox needs instead of
/// a redirect: the Sync key derived in the page and encrypted to Firefox's
/// `keys_jwk`, a code from `POST /v1/oauth/authorization`, and the
/// WebChannel messages `fxaccounts:login` then `fxaccounts:oauth_login`
/// (`webchannel.js`). The browser never navigates to the `urn:`.
///
/// No web session is made from this sign-in: the session token belongs to
/// Firefox, which signs it out itself; a cookie standing on it would let a
/// later sign-in in some tab end Firefox's session.
struct FirefoxSigninPage: RenderedPage {
    static let template = PageTemplate.firefoxSignin
    let signin: SigninPage
    /// `context` as Firefox sent it, and `service`.
    let webChannelContext: String
    let service: String?

    var contentSecurityPolicy: ContentSecurityPolicy { .scriptedPage }

    struct Context: Encodable, Sendable {
        let title: String
        let scriptData: String
    }

    func context() throws -> Context {
        var data = signin.scriptData()
        // There is nothing to decline to: the page has no cancel, and the
        // WebChannel redirect is never a place to send the browser.
        data.denyRedirect = ""
        data.webChannel = SigninPage.WebChannelData(
            context: webChannelContext, service: service, redirect: FirstPartyClients.webChannelRedirect)
        let title = service == "sync" ? "Sign in to Firefox Sync" : "Sign in to \(signin.request.client.name)"
        return Context(title: title, scriptData: try ScriptJSON.encode(data))
    }
}
