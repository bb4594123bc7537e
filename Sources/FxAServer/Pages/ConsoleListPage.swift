import FxACore
import FxAStore
import Foundation

/// `/console`: the OAuth clients the signed-in user registered, and the
/// way to register one. What an RP developer needs to start is here too:
/// where discovery is.
struct ConsoleListPage: RenderedPage {
    let clients: [OAuthClientRecord]
    let publicURL: PublicBaseURL
    let notice: String?

    /// Links and forms only: no script runs here.
    var contentSecurityPolicy: ContentSecurityPolicy { .formPage() }
    static let template = PageTemplate.consoleList

    struct Context: Encodable, Sendable {
        let title = "Developer console"
        let discoveryURL: String
        let hasClients: Bool
        let clients: [Row]
        let notice: String?
        let noticeIsError = false
    }

    struct Row: Encodable, Sendable {
        let id: String
        let name: String
        let kind: String
        let trusted: Bool
    }

    func context() -> Context {
        Context(
            discoveryURL: publicURL.appending("/.well-known/openid-configuration"), hasClients: !clients.isEmpty,
            clients: clients.map { Row(id: $0.id.hex, name: $0.name, kind: $0.publicClient ? "Public" : "Confidential", trusted: $0.trusted) },
            notice: notice)
    }
}
