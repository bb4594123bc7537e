/// A short page that says what happened and links back: a form that has
/// expired (no CSRF token), an app that is not the user's. The link is
/// always one of our own paths.
struct MessagePage: RenderedPage {
    static let template = PageTemplate.message

    struct Context: Encodable, Sendable {
        let title: String
        let text: String
        let linkPath: String
        let linkText: String
    }

    let title: String
    let text: String
    let linkPath: String
    let linkText: String
    var contentSecurityPolicy: ContentSecurityPolicy { .formPage() }

    func context() -> Context { Context(title: title, text: text, linkPath: linkPath, linkText: linkText) }

    /// 403 for a post without its CSRF token, in words a user can act on.
    static func expiredForm(backTo path: String) -> MessagePage {
        MessagePage(
            title: "This form has expired", text: "Nothing was changed. Go back to the page you came from and try again.",
            linkPath: path, linkText: "Back to the page you came from")
    }
}
