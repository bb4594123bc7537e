import FxACore

/// The client form's fields as the `console-fields` template shows them,
/// shared by registering a client and editing one: what the developer
/// typed (or what is stored), ready to put back into the inputs.
struct ConsoleFormFields: Encodable, Sendable {
    let name: String
    /// One per line, as the textarea takes them.
    let redirectURIs: String
    let imageURI: String
    let webhookURL: String
    /// Separated by spaces.
    let scopes: String
    let publicClient: Bool
    let confidentialClient: Bool
    let jwtAccessTokens: Bool

    init(_ form: ConsoleClientForm) {
        name = form.name
        redirectURIs = form.redirectURIs.joined(separator: "\n")
        imageURI = form.imageURI ?? ""
        webhookURL = form.webhookURL ?? ""
        scopes = form.allowedScopes.joined(separator: " ")
        publicClient = form.publicClient
        confidentialClient = !form.publicClient
        jwtAccessTokens = form.jwtAccessTokens
    }

    /// What an untrusted client may be granted, for the scopes field's help.
    static let untrustedScopes = OAuthScope.untrustedAllowlist.map(\.description).sorted().joined(separator: ", ")
}

/// `/console/new`: the form to register a client, with the message of a
/// refused attempt. The client type can be chosen only here, since a
/// confidential client's secret and a public client's PKCE-only sign-in do
/// not convert into each other.
struct ConsoleNewClientPage: RenderedPage {
    static let template = PageTemplate.consoleNew

    struct Context: Encodable, Sendable {
        let title = "Register an app"
        let form: ConsoleFormFields
        let creating = true
        let untrustedScopes = ConsoleFormFields.untrustedScopes
        let csrfToken: String
        let registrationNonce: String
        let notice: String?
        let noticeIsError = true
    }

    let form: ConsoleClientForm
    let csrfToken: String
    /// Fixed when the form is shown; with the session it makes the new
    /// client's id, so the form sent twice registers one client.
    let registrationNonce: String
    /// Why the last attempt was refused.
    let message: String?
    /// A form only: no script runs here.
    var contentSecurityPolicy: ContentSecurityPolicy { .formPage() }

    func context() -> Context {
        Context(form: ConsoleFormFields(form), csrfToken: csrfToken, registrationNonce: registrationNonce, notice: message)
    }
}
