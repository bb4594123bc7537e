import FxACore
import FxAStore
import Foundation

/// The page shown once after registering a client or rotating its secret:
/// the client id and, for a confidential client, the secret, which is
/// stored only as a hash and so can never be shown again. Sent with
/// `Cache-Control: no-store` so no cache keeps it either.
struct ConsoleSecretPage: RenderedPage {
    let client: OAuthClientRecord
    let secret: OAuthClientSecret?
    /// Whether the secret replaced an older one (a rotation).
    let rotated: Bool

    /// Links and forms only: no script runs here.
    var contentSecurityPolicy: ContentSecurityPolicy { .formPage() }
    static let template = PageTemplate.consoleSecret

    struct Context: Encodable, Sendable {
        let title: String
        let clientName: String
        let clientID: String
        let secret: String?
        let rotated: Bool
    }

    func context() -> Context {
        Context(
            title: rotated ? "New client secret" : "App registered", clientName: client.name, clientID: client.id.hex,
            secret: secret?.hex, rotated: rotated)
    }
}
