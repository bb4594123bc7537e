/// A page's Content-Security-Policy, built from what the page needs rather
/// than written out per page: nothing is allowed by default, styles come
/// only from our stylesheet, inline script and style are never allowed,
/// and no page can be framed or change its base URL.
struct ContentSecurityPolicy: Sendable, Equatable {
    /// Our own scripts (`/assets/*.js`) and their API calls to our origin.
    var scripts: Bool
    /// Images: our origin plus these (https origins of RP icons). `nil`:
    /// none at all.
    var imageOrigins: [String]?
    /// Whether forms may post (to our origin only).
    var forms: Bool

    /// Pages with our scripts, our images and forms: sign-in, settings, console.
    static let scriptedPage = ContentSecurityPolicy(scripts: true, imageOrigins: [], forms: true)

    /// A page of forms without scripts, showing icons from `imageOrigins`.
    static func formPage(imageOrigins: [String] = []) -> ContentSecurityPolicy {
        ContentSecurityPolicy(scripts: false, imageOrigins: imageOrigins, forms: true)
    }

    /// A page that only shows text (an error, the development mailbox), and
    /// our icon.
    static let textPage = ContentSecurityPolicy(scripts: false, imageOrigins: [], forms: false)

    /// The header's value.
    var headerValue: String {
        var directives = ["default-src 'none'"]
        if scripts { directives.append("script-src 'self'") }
        directives.append("style-src 'self'")
        if let imageOrigins { directives.append((["img-src 'self'"] + imageOrigins).joined(separator: " ")) }
        if scripts { directives.append("connect-src 'self'") }
        directives.append(forms ? "form-action 'self'" : "form-action 'none'")
        directives += ["base-uri 'none'", "frame-ancestors 'none'"]
        return directives.joined(separator: "; ")
    }
}
