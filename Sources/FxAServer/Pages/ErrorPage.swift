import FxACore

/// The page shown when an authorization request cannot be sent back to the
/// RP (unknown client, unregistered redirect URI): it says what is wrong in
/// words an RP developer can act on, with FxA's errno, and links nowhere.
struct ErrorPage {
    let error: FxAError

    func render() -> String {
        let explanation = switch error.errno {
        case .oauth(.unknownClient): "No application is registered with this client_id."
        case .oauth(.incorrectRedirectURI): "The redirect_uri is not one of the application's registered redirect URIs (they must match exactly)."
        case .oauth(.invalidRequestParameter): "The client_id is missing or is not 16 hexadecimal characters."
        default: error.message
        }
        return HTML.document(title: "Cannot sign in", body: """
            <div class="card">
            <h1>This sign-in link does not work</h1>
            <p>\(HTML.escape(explanation))</p>
            <p class="muted">If you followed a link from a website or app, tell its developers. Error \(error.errno.rawValue): \(HTML.escape(error.message)).</p>
            </div>
            """)
    }
}
