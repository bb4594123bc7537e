import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// The pages Firefox opens from its menus (FIREFOX.md §1): with no web
/// session they take Firefox's (over the WebChannel, in the page's script),
/// and a web session standing on Firefox's session never ends it when
/// another sign-in in that browser replaces it.
@Suite("Firefox's menu pages", .serialized)
struct FirefoxSettingsPagesTests {
    static let context = "context=oauth_webchannel_v1&entrypoint=fxa_app_menu&uid=0123&email=a%40example.test"

    @Test func firefoxsPagesTakeFirefoxsSessionOthersGoToSignIn() async throws {
        try await withTestServer { server in
            for (path, next) in [("/settings", "%2Fsettings"), ("/settings/clients", "%2Fsettings%2Fclients")] {
                let fromFirefox = try await server.page(path + "?" + Self.context, nil)
                #expect(fromFirefox.status == .ok, "\(path): \(fromFirefox.raw)")
                #expect(fromFirefox.raw.contains(#"<script src="/assets/firefox-session.js"></script>"#))
                #expect(fromFirefox.raw.contains(#""next":"\#(path.replacingOccurrences(of: "/", with: "\\/"))""#), "\(fromFirefox.raw)")
                #expect(fromFirefox.headers.first(name: .contentSecurityPolicy)?.contains("script-src 'self'") == true)
                let plain = try await server.page(path, nil)
                #expect(plain.status == .seeOther && plain.headers.first(name: .location) == "/signin?next=\(next)")
            }
            let script = try await server.call(.GET, "/assets/firefox-session.js")
            #expect(script.status == .ok && script.raw.contains("fxaccounts:fxa_status") && script.raw.contains("sharesToken"))

            let avatar = try await server.page("/settings/avatar/change?" + Self.context, nil)
            #expect(avatar.headers.first(name: .location) == "/settings?context=oauth_webchannel_v1")
            let another = try await server.page("/connect_another_device?" + Self.context + "&service=sync", nil)
            #expect(another.status == .ok && another.raw.contains("identity.fxaccounts.autoconfig.uri"))
            #expect(another.raw.contains("<code>https://accounts.example.test</code>"))
            #expect(!another.raw.contains("allowHttp"), "an https server needs no allowHttp")
        }
    }

    @Test func aSharedSessionOutlivesItsReplacementButNotASignOut() async throws {
        try await withTestServer { server in
            let (_, firefoxSession, otherSession, _) = try await server.twoSessions()
            // The page took Firefox's session.
            let shared = try await server.call(.POST, "/v1/web/session", json: ["sharesToken": true],
                                               auth: Auth.session(firefoxSession), headers: [("Origin", WebBrowser.origin)])
            #expect(shared.status == .ok, "\(shared.raw)")
            let cookie = try #require(shared.headers.first(name: .setCookie)?.split(separator: ";").first?.split(separator: "=").last)
            let browser = WebBrowser(cookie: String(cookie))
            #expect(try await server.page("/settings", browser).status == .ok)

            // Signing in to an app in the same browser replaces the web
            // session, and Firefox's own session stays.
            let replaced = try await server.call(.POST, "/v1/web/session", json: [:], auth: Auth.session(otherSession),
                                                 headers: [("Origin", WebBrowser.origin), browser.header])
            #expect(replaced.status == .ok)
            #expect(try await server.page("/settings", browser).status == .seeOther, "the old cookie is gone")
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(firefoxSession)).status == .ok)

            // An explicit sign-out on the pages signs Firefox's session out
            // too (the page tells Firefox first).
            let again = try await server.call(.POST, "/v1/web/session", json: ["sharesToken": true],
                                              auth: Auth.session(firefoxSession), headers: [("Origin", WebBrowser.origin)])
            let againCookie = try #require(again.headers.first(name: .setCookie)?.split(separator: ";").first?.split(separator: "=").last)
            let firefoxPages = WebBrowser(cookie: String(againCookie))
            let settings = try await server.page("/settings", firefoxPages)
            #expect(settings.raw.contains(#"<form id="signout""#) && settings.raw.contains("/assets/webchannel.js"))
            let out = try await server.post("/settings/signout", firefoxPages, ["csrf_token": try csrfToken(settings)])
            #expect(out.status == .seeOther)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(firefoxSession)), .unauthorized, errno: 110)
        }
    }

    @Test func aSharedFlagThatIsNotABooleanIsRefused() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let refused = try await server.call(.POST, "/v1/web/session", json: ["sharesToken": "yes"],
                                                auth: Auth.session(session), headers: [("Origin", WebBrowser.origin)])
            expectError(refused, .badRequest, errno: 107)
            #expect(refused.headers.first(name: .setCookie) == nil)
        }
    }

    @Test func anUnsharedSessionIsStillEndedWhenReplaced() async throws {
        try await withTestServer { server in
            let (_, first, second, _) = try await server.twoSessions()
            let browser = try await server.webSignIn(session: first)
            _ = try await server.call(.POST, "/v1/web/session", json: [:], auth: Auth.session(second),
                                      headers: [("Origin", WebBrowser.origin), browser.header])
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(first)), .unauthorized, errno: 110)
        }
    }
}
