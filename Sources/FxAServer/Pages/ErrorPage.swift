import FxACore

/// The page shown when an authorization request cannot be sent back to the
/// RP (unknown client, unregistered redirect URI): it says what is wrong in
/// words an RP developer can act on, with FxA's errno, and links nowhere.
struct ErrorPage: RenderedPage {
    static let template = PageTemplate.authorizationError

    struct Context: Encodable, Sendable {
        let title = "Cannot sign in"
        let explanation: String
        let errorLine: String
    }

    let error: FxAError
    var contentSecurityPolicy: ContentSecurityPolicy { .textPage }

    func context() -> Context {
        let explanation = switch error.errno {
        case .oauth(.unknownClient): "No application is registered with this client_id."
        case .oauth(.incorrectRedirectURI): "The redirect_uri is not one of the application's registered redirect URIs (they must match exactly)."
        case .oauth(.invalidRequestParameter): "The client_id is missing or is not 16 hexadecimal characters."
        default: error.message
        }
        return Context(explanation: explanation, errorLine: "Error \(error.errno.rawValue): \(error.message).")
    }
}
