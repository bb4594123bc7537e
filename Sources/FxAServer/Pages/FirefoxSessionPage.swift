import Foundation

/// What a page Firefox opens from its menus (`settings`,
/// `settings/clients`, …, with `context=oauth_webchannel_v1`) shows when
/// the browser has no web session yet: a moment's "Connecting…" while its
/// script asks Firefox for the signed-in account (`fxaccounts:fxa_status`)
/// and turns Firefox's session into a web session shared with it
/// (``WebSession/sharesToken``), then opens `next`. When Firefox has no
/// signed-in, confirmed account, the script goes to `/signin` instead.
///
/// As on FxA's own pages: the session token comes only from Firefox over
/// the WebChannel, which Firefox opens to this origin alone.
struct FirefoxSessionPage: RenderedPage {
    static let template = PageTemplate.firefoxSession
    /// One of ``WebPagePaths/signedIn``.
    let next: String

    var contentSecurityPolicy: ContentSecurityPolicy { .scriptedPage }

    struct ScriptData: Encodable {
        var next: String
        var signin: String
    }

    struct Context: Encodable, Sendable {
        let title = "Connecting to Firefox"
        let scriptData: String
    }

    func context() throws -> Context {
        Context(scriptData: try ScriptJSON.encode(ScriptData(next: next, signin: WebPagePaths.signin(next: next))))
    }
}
