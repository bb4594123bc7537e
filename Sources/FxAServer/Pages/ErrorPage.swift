import FxACore
import Foundation
import Vapor

/// The page shown when an authorization request cannot be sent back to the
/// RP (unknown client, unregistered redirect URI): it says what is wrong in
/// words an RP developer can act on, with FxA's errno, and links nowhere.
///
/// Also the page between a refused request and an app the server does not
/// redirect to unasked (``AuthorizationErrorRedirect/followsAutomatically``):
/// the same words, and a link back to the app that the user may follow.
struct ErrorPage: RenderedPage {
    static let template = PageTemplate.authorizationError

    struct Context: Encodable, Sendable {
        let title = "Cannot sign in"
        let explanation: String
        let errorLine: String
        /// The app's redirect URI with the error, and its host to name it by.
        var returnLink: String?
        var returnHost: String?
    }

    private enum Cause: Sendable {
        case error(FxAError)
        case refused(AuthorizationErrorRedirect)
    }

    private let cause: Cause
    var contentSecurityPolicy: ContentSecurityPolicy { .textPage }

    init(error: FxAError) { cause = .error(error) }

    init(refused redirect: AuthorizationErrorRedirect) { cause = .refused(redirect) }

    func context() -> Context {
        switch cause {
        case .error(let error): Self.context(error)
        case .refused(let redirect):
            Context(
                explanation: redirect.description.hasSuffix(".") ? redirect.description : redirect.description + ".",
                errorLine: "Error: \(redirect.error).",
                returnLink: Self.isNavigable(redirect.redirectURI) ? redirect.location : nil,
                returnHost: URLComponents(string: redirect.redirectURI)?.host ?? redirect.redirectURI)
        }
    }

    /// Registration admits only https, loopback http and an app's own
    /// scheme; a link is still never made to a scheme that runs or embeds
    /// something in this page's origin, whatever a row from an older
    /// version of the rules holds.
    private static func isNavigable(_ uri: String) -> Bool {
        guard let scheme = URLComponents(string: uri)?.scheme?.lowercased() else { return false }
        return !["javascript", "data", "vbscript", "file", "blob"].contains(scheme)
    }

    private static func context(_ error: FxAError) -> Context {
        let explanation = switch error.errno {
        case _ where error == .webChannelSignInOnly(): "This app is Firefox, which signs in through its own sign-in page, not this one."
        case .oauth(.unknownClient): "No application is registered with this client_id."
        case .oauth(.incorrectRedirectURI): "The redirect_uri is not one of the application's registered redirect URIs (they must match exactly)."
        case .oauth(.invalidRequestParameter): Self.explain(invalid: error)
        case .oauth(.invalidContentType): "The sign-in request was not sent as a form (application/x-www-form-urlencoded)."
        default: error.message
        }
        return Context(explanation: explanation, errorLine: "Error \(error.errno.rawValue): \(error.message).")
    }

    /// Which parameter was wrong, and how, from the error's validation key.
    private static func explain(invalid error: FxAError) -> String {
        if error == .ambiguousRedirectURI() {
            return "This application has registered more than one redirect URI, and the link does not name the one to return to (redirect_uri)."
        }
        guard case .object(let validation)? = error.extra["validation"], case .array(let keys)? = validation["keys"],
              case .string(let key)? = keys.first
        else { return error.message }
        if error == .duplicatedOAuthParameter(key) {
            return "The link names \(key) more than once, so which one is meant is unclear."
        }
        return switch key {
        case "client_id": "The client_id is missing or is not 16 hexadecimal characters."
        case "parameters": "The link's parameters are not valid percent-encoded UTF-8."
        default: error.message
        }
    }
}

extension Request {
    /// `error` shown on the error page, with the error's own status.
    func renderError(_ error: FxAError) async throws -> Response {
        try await render(ErrorPage(error: error), status: HTTPResponseStatus(statusCode: error.status))
    }
}
