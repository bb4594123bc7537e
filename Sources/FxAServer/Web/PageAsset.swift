/// The pages' scripts and stylesheet (`Sources/FxAServer/Assets`), compiled
/// into the binary by SwiftPM's `.embedInCode` like the templates, and
/// served at `/assets/<name>` by ``AssetsController``. Nothing is fetched
/// from anywhere else: the pages' CSP allows scripts and styles from our
/// own origin only, and no inline script at all.
///
/// Kept as real `.js` and `.css` files so that they read, diff and lint as
/// what they are; each starts with a comment on what it does and why.
enum PageAsset: String, CaseIterable, Sendable {
    /// onepw in the browser (WebCrypto): stretching, token ids, kB.
    case onepw = "onepw.js"
    /// The sign-in steps, for RPs, the account pages and Firefox.
    case signin = "signin.js"
    /// Password change and account deletion on `/settings`.
    case settings = "settings.js"
    /// Firefox's WebChannel from the page's side.
    case webChannel = "webchannel.js"
    /// The pages Firefox opens from its menus, taking its session.
    case firefoxSession = "firefox-session.js"
    /// The stylesheet of every page.
    case style = "fxa.css"
    /// Kazuhiko Arase's QR code generator (MIT), verbatim from Debian's
    /// `node-qrcode-generator` 1.4.4+dfsg-3 (docs/third-party.md): draws
    /// the authenticator-app setup's `otpauth://` URI as an SVG in the
    /// browser, so the server carries no image library.
    case qrCode = "qrcode.js"
    /// Account recovery keys in the browser: made, sealed and opened there.
    case recoveryKey = "recoverykey.js"
    /// The pages' icon (also answered at `/favicon.ico`).
    case icon = "favicon.svg"

    /// The file's bytes, as embedded at build time.
    var bytes: [UInt8] {
        switch self {
        case .onepw: PackageResources.onepw_js
        case .signin: PackageResources.signin_js
        case .settings: PackageResources.settings_js
        case .webChannel: PackageResources.webchannel_js
        case .firefoxSession: PackageResources.firefox_session_js
        case .style: PackageResources.fxa_css
        case .qrCode: PackageResources.qrcode_js
        case .recoveryKey: PackageResources.recoverykey_js
        case .icon: PackageResources.favicon_svg
        }
    }

    /// Its `Content-Type`.
    var contentType: String {
        if rawValue.hasSuffix(".css") { return "text/css; charset=utf-8" }
        if rawValue.hasSuffix(".svg") { return "image/svg+xml" }
        return "application/javascript; charset=utf-8"
    }
}
