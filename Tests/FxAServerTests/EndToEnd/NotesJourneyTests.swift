import Fluent
import FxACore
@testable import FxANotesApp
import FxAServer
import FxAVapor
import Foundation
import Testing
import Vapor

/// The RP kit end to end: `fxa-server` and the example notes app, each on
/// its own loopback port, talking over real HTTP (discovery, token, JWKS,
/// profile, destroy, and the server's webhook deliveries to the app). The
/// user's own actions on the server (sign-up, the sign-in page's
/// authorization, settings changes) are the API calls those pages make.
@Suite("End to end: the example RP against fxa-server", .serialized)
struct NotesJourneyTests {
    /// Both servers running, a client registered for the app.
    struct Stage {
        let server: TestServer
        let serverURL: URL
        let app: Application
        let appURL: URL
        let browser: LoopbackBrowser
        let client: TestClient
    }

    private func withStage(_ body: (Stage) async throws -> Void) async throws {
        let serverPort = try await LoopbackBrowser.freePort()
        let appPort = try await LoopbackBrowser.freePort()
        let serverURL = URL(string: "http://127.0.0.1:\(serverPort)")!
        let appURL = URL(string: "http://127.0.0.1:\(appPort)")!
        try await withTestServer(configure: { $0.publicURL = try PublicBaseURL(serverURL.absoluteString) }) { server in
            try await server.app.server.start(address: .hostname("127.0.0.1", port: serverPort))
            let client = try await server.registerClient(
                publicClient: false, trusted: true, scopes: ["profile", "openid"],
                redirectURIs: [appURL.absoluteString + "/auth/callback"], webhookURL: appURL.absoluteString + "/auth/webhook")
            var logger = Logger(label: "notes-e2e")
            logger.logLevel = .error
            let app = try await Application.make(.testing, logger: logger)
            let browser = LoopbackBrowser()
            var httpClient: HTTPClient?
            do {
                let fxa = FxAClientConfiguration(
                    provider: FxAProvider(issuer: serverURL),
                    credentials: try FxAClientCredentials(clientID: client.id, secret: try ClientSecret(client.secret!)),
                    redirectURI: appURL.appendingPathComponent("auth/callback"))
                var settings = NotesSettings(fxa: fxa, port: appPort, publicURL: appURL, databasePath: nil)
                settings.providerTimeout = .seconds(60)
                httpClient = try await NotesApp.configure(app, settings: settings)
                try await app.server.start(address: .hostname("127.0.0.1", port: appPort))
                try await body(Stage(server: server, serverURL: serverURL, app: app, appURL: appURL, browser: browser, client: client))
            } catch {
                try? await browser.shutdown()
                await app.server.shutdown()
                try? await app.asyncShutdown()
                try? await httpClient?.shutdown()
                await server.app.server.shutdown()
                throw error
            }
            // Webhooks still on their way to the app would reach it while it
            // shuts down (its handlers and session middleware then find its
            // database gone): let the server's queue drain first, briefly.
            for _ in 0..<100 where try await server.dependencies.stores.outbox.pendingCount() > 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await browser.shutdown()
            await app.server.shutdown()
            try await app.asyncShutdown()
            try await httpClient?.shutdown()
            await server.app.server.shutdown()
        }
    }

    /// The browser's whole sign-in: the app's login redirect, the server's
    /// sign-in page (its authorization call made with the user's session),
    /// and the app's callback. Returns the app's answer to the callback.
    @discardableResult
    private func signIn(_ stage: Stage, session: String) async throws -> LoopbackBrowser.Page {
        let login = try await stage.browser.get(stage.appURL.appendingPathComponent("auth/login"))
        let authorization = try #require(login.location, "login: \(login.status) \(login.body)")
        #expect(authorization.absoluteString.hasPrefix(stage.serverURL.absoluteString + "/authorization?"))
        let query = Dictionary(uniqueKeysWithValues: (URLComponents(url: authorization, resolvingAgainstBaseURL: false)?
            .queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["entrypoint"] == "fxa-notes-example" && query["code_challenge_method"] == "S256")
        var body: [String: Any] = [:]
        for name in ["client_id", "state", "nonce", "scope", "code_challenge", "code_challenge_method", "access_type", "redirect_uri"] {
            body[name] = query[name]
        }
        let authorized = try await stage.server.call(.POST, "/v1/oauth/authorization", json: body, auth: Auth.session(session))
        let redirect = try #require(authorized.string("redirect").flatMap(URL.init(string:)), "authorize: \(authorized.raw)")
        return try await stage.browser.get(redirect)
    }

    private func me(_ stage: Stage) async throws -> LoopbackBrowser.Page {
        try await stage.browser.get(stage.appURL.appendingPathComponent("api/me"))
    }

    private func csrfToken(_ stage: Stage) async throws -> String {
        let home = try await stage.browser.get(stage.appURL)
        let marker = #"name="csrf_token" value=""#
        let start = try #require(home.body.range(of: marker), "no CSRF token on the home page: \(home.body)")
        return String(home.body[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The tokens the app holds for this browser session (server-side, in
    /// its session table).
    private func sessionTokens(_ stage: Stage) async throws -> TokenSet {
        let records = try await SessionRecord.query(on: stage.app.db).all()
        let encoded = try #require(records.compactMap { $0.data["fxa.tokens"] }.last)
        return try JSONDecoder().decode(TokenSet.self, from: Data(encoded.utf8))
    }

    /// Sign-in, profile, display name and primary email changes arriving by
    /// webhook, notes, sign-out, password change, account deletion.
    @Test func theWholeJourneyFromSignInToAccountDeletion() async throws {
        try await withStage { stage in
            let user = TestUser()
            let account = try await stage.server.signUp(user)
            #expect(try await me(stage).status == 401)

            // Sign in: callback, then the profile keyed by uid.
            let callback = try await signIn(stage, session: account.sessionToken)
            #expect(callback.status == 303 && callback.location?.path == "/", "callback: \(callback.status) \(callback.body)")
            let profile = try await me(stage).json
            #expect(profile["uid"] as? String == account.uid)
            // The provider's avatars load on the app's pages, over http from a local provider too.
            let home = try await stage.browser.get(stage.appURL)
            let policy = home.headers.first(name: "Content-Security-Policy") ?? ""
            #expect(policy.contains("img-src https: data: \(stage.serverURL.absoluteString)"), "\(policy)")
            #expect(profile["email"] as? String == user.email)

            // A display name set on the server reaches the app by webhook.
            let settings = try await stage.server.registerClient(scopes: ["profile", "profile:write"])
            let writeToken = try await stage.server.accessToken(settings, session: account.sessionToken, scope: "profile:write")
            let named = try await stage.server.profileCall(
                .POST, "/v1/display_name", token: writeToken, json: ["displayName": "Ada Lovelace"])
            #expect(named.status == .ok)
            #expect(try await eventually(timeout: 20) { try await me(stage).json["display_name"] as? String == "Ada Lovelace" })

            // A new primary email reaches the app by webhook; the uid stays.
            let newEmail = "renamed-\(UUID().uuidString.prefix(6).lowercased())@example.test"
            let session = Auth.session(account.sessionToken)
            #expect(try await stage.server.call(.POST, "/v1/recovery_email", json: ["email": newEmail], auth: session).status == .ok)
            let emailCode = try #require(try await stage.server.mailHeader("X-Verify-Code", to: newEmail))
            #expect(try await stage.server.call(
                .POST, "/v1/recovery_email/secondary/verify_code", json: ["email": newEmail, "code": emailCode], auth: session).status == .ok)
            #expect(try await stage.server.call(
                .POST, "/v1/recovery_email/set_primary", json: ["email": newEmail], auth: session).status == .ok)
            #expect(try await eventually(timeout: 20) { try await me(stage).json["email"] as? String == newEmail })
            #expect(try await me(stage).json["uid"] as? String == account.uid)

            // Notes, keyed by uid.
            let csrf = try await csrfToken(stage)
            let added = try await stage.browser.post(stage.appURL.appendingPathComponent("notes"), form: ["text": "first note", "csrf_token": csrf])
            #expect(added.status == 303)
            let forged = try await stage.browser.post(stage.appURL.appendingPathComponent("notes"), form: ["text": "forged"])
            #expect(forged.status == 403)
            #expect(try await stage.browser.get(stage.appURL.appendingPathComponent("api/notes")).body == #"["first note"]"#)

            // Sign-out destroys the tokens at the provider.
            let tokens = try await sessionTokens(stage)
            #expect(try await stage.server.call(.POST, "/v1/verify", json: ["token": tokens.accessToken]).status == .ok)
            let out = try await stage.browser.post(
                stage.appURL.appendingPathComponent("auth/logout"), form: ["csrf_token": try await csrfToken(stage)])
            #expect(out.status == 303)
            #expect(try await me(stage).status == 401)
            let verify = try await stage.server.call(.POST, "/v1/verify", json: ["token": tokens.accessToken])
            #expect(verify.status == .badRequest && verify.errno == 108, "verify after sign-out: \(verify.raw)")
            let refresh = try await stage.server.token([
                "grant_type": "refresh_token", "client_id": stage.client.id, "client_secret": stage.client.secret!,
                "refresh_token": try #require(tokens.refreshToken)])
            #expect(refresh.status == .badRequest, "refresh after sign-out: \(refresh.raw)")

            // A password change ends the app's older sessions.
            try await signIn(stage, session: account.sessionToken)
            #expect(try await me(stage).status == 200)
            stage.server.clock.set(Date())
            let newUser = TestUser(user.email, password: "a brand new password")
            let changed = try await PasswordFlowTests.change(
                stage.server, user, to: newUser, session: account.sessionToken, kB: account.kB, salt: nil)
            #expect(changed.status == .ok, "password change: \(changed.raw)")
            #expect(try await eventually(timeout: 20) { try await me(stage).status == 401 })
            let newSession = try #require(changed.string("sessionToken"))
            let again = try await signIn(stage, session: newSession)
            #expect(again.status == 303, "sign-in after the change: \(again.status) \(again.body)")
            #expect(try await me(stage).status == 200, "a session begun after the change is kept")

            // Deleting the account erases the user's notes in the app.
            let destroyed = try await stage.server.call(
                .POST, "/v1/account/destroy", json: ["email": user.email, "authPW": try newUser.v1().authPW.hexString],
                auth: Auth.session(newSession))
            #expect(destroyed.status == .ok, "destroy: \(destroyed.raw)")
            #expect(try await eventually(timeout: 20) { try await me(stage).status == 401 })
            let remaining = try await NoteRecord.query(on: stage.app.db).filter(\.$uid == account.uid).count()
            #expect(remaining == 0)
            #expect(try await UserRecord.find(account.uid, on: stage.app.db) == nil)
        }
    }

    @Test func aTamperedOrReplayedCallbackSignsNoOneIn() async throws {
        try await withStage { stage in
            let account = try await stage.server.signUp(TestUser())
            let good = try await signIn(stage, session: account.sessionToken)
            #expect(good.status == 303)
            // Replay the same callback URL in the same browser: its pending
            // sign-in is spent, and the user stays signed in as before.
            let replayURL = good.url
            #expect(try await stage.browser.get(replayURL).status == 400)
            #expect(try await me(stage).json["uid"] as? String == account.uid)
            // And in another browser, which never started a sign-in.
            let other = LoopbackBrowser()
            defer { Task { try? await other.shutdown() } }
            #expect(try await other.get(replayURL).status == 400)
            #expect(try await other.get(stage.appURL.appendingPathComponent("api/me")).status == 401)

            // A callback whose state was altered.
            _ = try await other.get(stage.appURL.appendingPathComponent("auth/login"))
            var components = try #require(URLComponents(string: stage.appURL.absoluteString + "/auth/callback"))
            components.queryItems = [URLQueryItem(name: "code", value: "0123"), URLQueryItem(name: "state", value: "forged")]
            #expect(try await other.get(try #require(components.url)).status == 400)
            #expect(try await other.get(stage.appURL.appendingPathComponent("api/me")).status == 401)

            // A stolen or planted session cookie alone signs no one in: the
            // sign-in also set a binding cookie that only the user's browser has.
            let sessionCookie = try #require(stage.browser.cookie("notes-session", for: stage.appURL))
            #expect(try await stage.browser.get(stage.appURL.appendingPathComponent("api/me")).status == 200)
            let thief = LoopbackBrowser()
            defer { Task { try? await thief.shutdown() } }
            thief.setCookie("notes-session", sessionCookie, for: stage.appURL)
            #expect(try await thief.get(stage.appURL.appendingPathComponent("api/me")).status == 401)

            // A webhook call without a valid SET changes nothing.
            let forged = try await other.post(stage.appURL.appendingPathComponent("auth/webhook"), form: [:])
            #expect(forged.status == 401)
            #expect(try await UserRecord.find(account.uid, on: stage.app.db) != nil)
        }
    }
}
