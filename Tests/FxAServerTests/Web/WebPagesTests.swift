import Crypto
import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// The server's own signed-in pages: the web-session cookie, settings,
/// Devices & apps, CSRF on every form, and sign-out.
@Suite("Web pages: sessions, settings, Devices & apps", .serialized)
struct WebPagesTests {
    static let cookieName = WebBrowser.cookieName

    @Test func theCookieIsHttpOnlyLaxSecureAndStoredOnlyAsItsHash() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let started = try await server.call(.POST, "/v1/web/session", json: [:], auth: Auth.session(account.sessionToken))
            let setCookie = try #require(started.headers.first(name: .setCookie), "\(started.raw)")
            #expect(setCookie.hasPrefix(Self.cookieName + "="))
            for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
                #expect(setCookie.contains(attribute), "\(attribute) in \(setCookie)")
            }
            #expect(!setCookie.contains("Domain="), "__Host- cookies name no domain")
            let value = try #require(Data(base64URLEncoded: String(setCookie.split(separator: ";")[0].dropFirst(Self.cookieName.count + 1))))
            let stored = try await server.dependencies.stores.webSessions.session(idHash: #require(TokenHash(bytes: Data(SHA256.hash(data: value)))))
            #expect(stored?.session.uid.hex == account.uid, "found by the value's SHA-256")
            let byValue = try await server.dependencies.stores.webSessions.session(idHash: #require(TokenHash(bytes: value)))
            #expect(byValue == nil, "not by the value itself")
        }
    }

    @Test func onlyAVerifiedSessionFromOurOwnOriginGetsACookie() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            expectError(try await server.call(.POST, "/v1/web/session", json: [:], auth: Auth.session(account.sessionToken),
                                              headers: [("Origin", "https://evil.example")]), .forbidden, errno: 999)
            expectError(try await server.call(.POST, "/v1/web/session", json: [:]), .unauthorized, errno: 110)
            let unverified = try await server.signUp(TestUser(), verify: false)
            expectError(try await server.call(.POST, "/v1/web/session", json: [:], auth: Auth.session(unverified.sessionToken)),
                        .badRequest, errno: 104)
        }
    }

    @Test func settingsNeedASignInAndShowTheAccount() async throws {
        try await withTestServer { server in
            let signedOut = try await server.page("/settings", nil)
            #expect(signedOut.status == .seeOther && signedOut.headers.first(name: .location) == "/signin?next=%2Fsettings")
            let signin = try await server.page("/signin?next=https://evil.example/", nil)
            #expect(signin.status == .ok && signin.raw.contains(#""next":"\/settings""#), "a foreign next is replaced: \(signin.raw)")
            #expect(signin.headers.first(name: .contentSecurityPolicy)?.contains("script-src 'self'") == true)

            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            let settings = try await server.page("/settings", browser)
            #expect(settings.status == .ok)
            #expect(settings.raw.contains(user.email))
            #expect(settings.headers.first(name: .contentSecurityPolicy)?.contains("form-action 'self'") == true)
            let csp = try #require(settings.headers.first(name: .contentSecurityPolicy))
            #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "our script file only: \(csp)")
            #expect(settings.headers.first(name: .xFrameOptions) == "DENY")
            #expect(try await server.page("/signin", browser).headers.first(name: .location) == "/settings", "already signed in")
            let forged = WebBrowser(cookie: SecureRandom.bytes(32).base64URLEncodedString)
            #expect(try await server.page("/settings", forged).status == .seeOther)
        }
    }

    @Test func aFormPostWithoutItsCSRFTokenChangesNothing() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let browser = try await server.webSignIn(session: account.sessionToken)
            // Another browser of the same user: its token is not this one's.
            let second = try #require(try await server.login(user).response.string("sessionToken"))
            let other = try await server.webSignIn(session: second)
            let otherToken = try csrfToken(try await server.page("/settings", other))
            for form in [["display_name": "Mallory"], ["display_name": "Mallory", "csrf_token": "forged"],
                         ["display_name": "Mallory", "csrf_token": otherToken]] {
                let refused = try await server.post("/settings/display_name", browser, form)
                #expect(refused.status == .forbidden, "\(form)")
                #expect(refused.raw.contains("This form has expired"))
            }
            #expect(try await server.dependencies.stores.profiles.profile(uid: AccountUID(hex: account.uid)!)?.displayName == nil)
            #expect(try await server.post("/settings/signout", browser, [:]).status == .forbidden)
            #expect(try await server.page("/settings", browser).status == .ok, "still signed in")
        }
    }

    @Test func theDisplayNameIsSavedAndRPsAreTold() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let browser = try await server.webSignIn(session: account.sessionToken)
            let token = try csrfToken(try await server.page("/settings", browser))
            let saved = try await server.post("/settings/display_name", browser, ["csrf_token": token, "display_name": "Ada <L>"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/settings?done=display_name")
            let settings = try await server.page("/settings?done=display_name", browser)
            #expect(settings.raw.contains(#"value="Ada &lt;L&gt;""#) && settings.raw.contains("Your display name is saved."))
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.stores.outbox.events(uid: uid).contains { $0.kind == .profileChange })
            let bad = try await server.post("/settings/display_name", browser, ["csrf_token": token, "display_name": "a\u{7}b"])
            #expect(bad.status == .badRequest && bad.raw.contains("cannot be used"))
        }
    }

    @Test func devicesAndAppsListsEachRPAndSigningOutOfOneKillsItsRefreshToken() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let client = try await server.registerClient()
            let code = try await server.code(client, session: account.sessionToken, ["access_type": "offline"])
            let tokens = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            let refresh = try #require(tokens.string("refresh_token"), "\(tokens.raw)")
            let access = try #require(tokens.string("access_token"))
            // A second sign-in of the same app: still one row, one button.
            let again = try await server.code(client, session: account.sessionToken, ["access_type": "offline"])
            _ = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": again])

            let browser = try await server.webSignIn(session: account.sessionToken)
            let list = try await server.page("/settings/clients", browser)
            #expect(list.status == .ok && list.raw.contains("Test RP"), "\(list.raw)")
            #expect(list.raw.contains("See your profile"), "scopes in plain words")
            #expect(list.raw.components(separatedBy: #"<li class="client">"#).count == 2, "one row per app")
            let signedOut = try await server.post("/settings/clients/destroy", browser, [
                "csrf_token": try csrfToken(list), "client_id": client.id,
            ])
            #expect(signedOut.headers.first(name: .location) == "/settings/clients?done=signed_out")
            #expect(!(try await server.page("/settings/clients", browser)).raw.contains("Test RP"))
            let refreshed = try await server.token([
                "grant_type": "refresh_token", "client_id": client.id, "client_secret": client.secret!, "refresh_token": refresh,
            ])
            expectOAuthError(refreshed, .badRequest, errno: 108, error: "invalid_grant")
            expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": access]), .badRequest, errno: 108,
                             error: "invalid_grant")
        }
    }

    @Test func signingOutEndsTheWebSessionAndItsFxASession() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let browser = try await server.webSignIn(session: account.sessionToken)
            let token = try csrfToken(try await server.page("/settings", browser))
            let out = try await server.post("/settings/signout", browser, ["csrf_token": token])
            #expect(out.status == .seeOther && out.headers.first(name: .location) == "/signin")
            #expect(out.headers.first(name: .setCookie)?.contains("Max-Age=0") == true, "cookie cleared")
            #expect(try await server.page("/settings", browser).status == .seeOther)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(account.sessionToken)), .unauthorized, errno: 110)
        }
    }

    @Test func aPasswordChangeElsewhereEndsTheWebSession() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let login = try await server.login(user).response
            let browser = try await server.webSignIn(session: try #require(login.string("sessionToken")))
            #expect(try await server.page("/settings", browser).status == .ok)
            let finish = try await PasswordFlowTests.change(
                server, user, to: TestUser(user.email, password: "another password"), session: account.sessionToken,
                kB: account.kB, salt: nil)
            #expect(finish.status == .ok)
            #expect(try await server.page("/settings", browser).status == .seeOther)
        }
    }
}
