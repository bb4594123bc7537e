import FxACore
import FxAStore
import Foundation

/// `/console/clients/<id>`: one of the user's clients. Its id and type,
/// the form to edit it, its secret's rotation, the recent webhook
/// deliveries (what the RP's endpoint answered, so its developer can debug
/// it), and deleting it.
struct ConsoleClientPage: RenderedPage {
    let client: OAuthClientRecord
    /// The form to show: the stored client, or a refused edit to correct.
    let form: ConsoleClientForm
    let deliveries: [EventDelivery]
    let csrfToken: String
    /// A confirmation, or why an edit was refused.
    let notice: String?
    let noticeIsError: Bool

    /// Our style, our forms, and the client's icon from its https origin.
    var contentSecurityPolicy: ContentSecurityPolicy {
        .formPage(imageOrigins: [SigninPage.imageOrigin(client.imageURI)].compactMap { $0 })
    }

    static let template = PageTemplate.consoleClient

    struct Context: Encodable, Sendable {
        let title: String
        let clientName: String
        let clientID: String
        let iconURL: String?
        let publicClient: Bool
        let trusted: Bool
        let hasPreviousSecret: Bool
        let form: ConsoleFormFields
        let creating = false
        let untrustedScopes = ConsoleFormFields.untrustedScopes
        let hasWebhook: Bool
        let hasDeliveries: Bool
        let deliveries: [Delivery]
        let csrfToken: String
        let notice: String?
        let noticeIsError: Bool
    }

    /// One delivery as the table shows it.
    struct Delivery: Encodable, Sendable {
        let created: String
        let kind: String
        let status: String
        let attempts: Int
        /// The HTTP status only, or that nothing answered: the error's own
        /// text (addresses, resolver messages) would tell a console user
        /// about the server's network.
        let answer: String

        init(_ delivery: EventDelivery, formatter: ISO8601DateFormatter) {
            created = formatter.string(from: delivery.createdAt)
            kind = delivery.kind.rawValue
            status = delivery.status.rawValue
            attempts = delivery.attempts
            answer = delivery.lastStatus.map { "HTTP \($0)" }
                ?? (delivery.lastError == nil ? "" : "no answer (connection, TLS or timeout)")
        }
    }

    func context() -> Context {
        let formatter = ISO8601DateFormatter()
        return Context(
            title: client.name, clientName: client.name, clientID: client.id.hex,
            iconURL: SigninPage.imageOrigin(client.imageURI) != nil ? client.imageURI : nil,
            publicClient: client.publicClient, trusted: client.trusted,
            hasPreviousSecret: client.previousSecretHash != nil, form: ConsoleFormFields(form),
            hasWebhook: client.webhookURL != nil, hasDeliveries: !deliveries.isEmpty,
            deliveries: deliveries.map { Delivery($0, formatter: formatter) }, csrfToken: csrfToken, notice: notice,
            noticeIsError: noticeIsError)
    }
}
