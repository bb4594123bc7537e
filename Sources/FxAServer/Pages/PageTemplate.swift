/// The Leaf templates of the server's pages (`Sources/FxAServer/Templates`),
/// compiled into the binary by SwiftPM's `.embedInCode`: a self-hosted
/// server stays one file to deploy, with no Views directory to lose, to
/// get out of step with the binary, or to be edited on a shared host.
///
/// Each case is one `.leaf` file; `#extend("name")` in a template names
/// another case by its raw value.
enum PageTemplate: String, CaseIterable, Sendable {
    /// The document around every page: head, stylesheet, brand; imports `body`.
    case layout
    case message
    case authorizationError = "authorization-error"
    /// `/authorization`: the RP's sign-in, consent and "Continue as".
    case authorization
    /// `/?context=oauth_webchannel_v1`: Firefox's own sign-in.
    case firefoxSignin = "firefox-signin"
    /// The settings pages Firefox opens, while they take Firefox's session.
    case firefoxSession = "firefox-session"
    /// `/signin`: signing in to the server's own pages.
    case signin
    /// The email, password, code and reset steps both sign-in pages share.
    case signinSteps = "signin-steps"
    /// A form's hidden CSRF field (`csrfToken` in the context).
    case csrf
    /// A confirmation or an error (`notice`, `noticeIsError`).
    case notice
    case settings
    case clients
    case consoleList = "console-list"
    case consoleNew = "console-new"
    case consoleClient = "console-client"
    /// The client form's fields, shared by registering and editing.
    case consoleFields = "console-fields"
    case consoleSecret = "console-secret"
    case devMailbox = "dev-mailbox"
    /// `/connect_another_device`: how to sign another Firefox in.
    case connectDevice = "connect-device"
    /// `/` of a development server, signed out: what to do next.
    case developmentLanding = "development-landing"

    /// The template's UTF-8 source, as embedded at build time.
    var source: [UInt8] {
        switch self {
        case .layout: PackageResources.layout_leaf
        case .message: PackageResources.message_leaf
        case .authorizationError: PackageResources.authorization_error_leaf
        case .authorization: PackageResources.authorization_leaf
        case .firefoxSignin: PackageResources.firefox_signin_leaf
        case .firefoxSession: PackageResources.firefox_session_leaf
        case .signin: PackageResources.signin_leaf
        case .signinSteps: PackageResources.signin_steps_leaf
        case .csrf: PackageResources.csrf_leaf
        case .notice: PackageResources.notice_leaf
        case .settings: PackageResources.settings_leaf
        case .clients: PackageResources.clients_leaf
        case .consoleList: PackageResources.console_list_leaf
        case .consoleNew: PackageResources.console_new_leaf
        case .consoleClient: PackageResources.console_client_leaf
        case .consoleFields: PackageResources.console_fields_leaf
        case .consoleSecret: PackageResources.console_secret_leaf
        case .devMailbox: PackageResources.dev_mailbox_leaf
        case .connectDevice: PackageResources.connect_device_leaf
        case .developmentLanding: PackageResources.development_landing_leaf
        }
    }
}
