import Crypto
import FxACore
@testable import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// The developer console: registering and managing one's own OAuth clients.
@Suite("Web pages: developer console", .serialized)
struct ConsoleTests {
    static let validForm = [
        "name": "Notes <dev>", "redirect_uris": "https://notes.example/callback\nhttp://127.0.0.1:8000/cb",
        "image_uri": "https://notes.example/icon.png", "webhook_url": "https://notes.example/events",
        "scopes": "openid profile:uid profile:email profile:display_name", "client_type": "confidential",
    ]

    /// A signed-in developer with the console's CSRF token.
    private func developer(_ server: TestServer) async throws -> (browser: WebBrowser, csrf: String, uid: AccountUID) {
        let account = try await server.signUp(TestUser())
        let browser = try await server.webSignIn(session: account.sessionToken)
        let csrf = try csrfToken(try await server.page("/console/new", browser))
        return (browser, csrf, try #require(AccountUID(hex: account.uid)))
    }

    /// The value of the read-only field `id` on a page.
    private func field(_ id: String, in page: APIResponse) throws -> String {
        let marker = #"id="\#(id)" readonly value=""#
        let start = try #require(page.raw.range(of: marker), "no \(id): \(page.raw)")
        return String(page.raw[start.upperBound...].prefix { $0 != "\"" })
    }

    /// Reloading the page that showed the secret sends the form again: the
    /// id made from the form's nonce and the session makes that one app,
    /// not two; nobody chooses an id, another session's nonce included.
    @Test func theSameFormSentTwiceRegistersOneApp() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let browser = try await server.webSignIn(session: account.sessionToken)
            let formPage = try await server.page("/console/new", browser)
            let marker = #"name="registration_nonce" value=""#
            let start = try #require(formPage.raw.range(of: marker), "\(formPage.raw)")
            let nonce = String(formPage.raw[start.upperBound...].prefix { $0 != "\"" })
            #expect(nonce.count == 32)
            var form = Self.validForm
            form["csrf_token"] = try csrfToken(formPage)
            form["registration_nonce"] = nonce
            let first = try await server.post("/console/new", browser, form)
            #expect(first.status == .ok, "\(first.raw)")
            let clientID = try field("client_id", in: first)
            let again = try await server.post("/console/new", browser, form)
            #expect(again.status == .seeOther, "\(again.raw)")
            #expect(again.headers.first(name: .location) == "/console/clients/\(clientID)?done=registered")
            let shown = try await server.page("/console/clients/\(clientID)?done=registered", browser)
            #expect(shown.raw.contains("already registered") && shown.raw.contains("Make a new secret"))
            let uid = try #require(AccountUID(hex: account.uid))
            #expect(try await server.dependencies.clientAdministration().list(ownedBy: uid).count == 1, "one app")

            // Another session sending the same nonce gets an app of its own.
            let other = try await server.signUp(TestUser())
            let otherBrowser = try await server.webSignIn(session: other.sessionToken)
            form["csrf_token"] = try csrfToken(try await server.page("/console/new", otherBrowser))
            let theirs = try await server.post("/console/new", otherBrowser, form)
            #expect(theirs.status == .ok, "\(theirs.raw)")
            #expect(try field("client_id", in: theirs) != clientID, "an id nobody can choose")
        }
    }

    @Test func theConsoleNeedsASignIn() async throws {
        try await withTestServer { server in
            let response = try await server.page("/console", nil)
            #expect(response.status == .seeOther && response.headers.first(name: .location) == "/signin?next=%2Fconsole")
            let signin = try await server.page("/signin?next=/console", nil)
            #expect(signin.raw.contains(#""next":"\/console""#))
        }
    }

    @Test func aRegisteredClientShowsItsSecretOnceAndSignsUsersIn() async throws {
        try await withTestServer { server in
            let (browser, csrf, uid) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            form["trusted"] = "on"  // not a field of the form: ignored
            let created = try await server.post("/console/new", browser, form)
            #expect(created.status == .ok, "\(created.raw)")
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let clientID = try field("client_id", in: created)
            let secret = try field("client_secret", in: created)
            #expect(created.raw.contains("shown only this once"))

            let id = try #require(OAuthClientID(hex: clientID))
            let stored = try #require(try await server.dependencies.stores.oauthClients.client(id: id))
            #expect(stored.ownerUID == uid && !stored.trusted && !stored.publicClient)
            #expect(stored.name == "Notes <dev>" && stored.redirectURIs == ["https://notes.example/callback", "http://127.0.0.1:8000/cb"])
            #expect(stored.secretHash?.bytes == Data(SHA256.hash(data: Data(hex: secret)!)), "kept only as its hash")

            let page = try await server.page("/console/clients/\(clientID)", browser)
            #expect(page.status == .ok && page.raw.contains("Notes &lt;dev&gt;") && !page.raw.contains(secret), "never shown again")
            #expect(try await server.page("/console", browser).raw.contains(clientID))
            #expect(page.raw.contains("/console/clients/\(clientID)/rotate"), "a confidential client can rotate its secret")
            var publicForm = Self.validForm
            publicForm["csrf_token"] = csrf
            publicForm["client_type"] = "public"
            let publicID = try field("client_id", in: try await server.post("/console/new", browser, publicForm))
            let publicPage = try await server.page("/console/clients/\(publicID)", browser)
            #expect(publicPage.status == .ok && !publicPage.raw.contains("/rotate"), "a public client has no secret to rotate")

            // The client works: a user signs in to it and its secret redeems the code.
            let user = try await server.signUp(TestUser())
            let client = TestClient(id: clientID, secret: secret, redirectURI: "https://notes.example/callback")
            // It registered two redirect URIs, so it must name one.
            let code = try await server.code(
                client, session: user.sessionToken, ["scope": "openid profile:email", "redirect_uri": client.redirectURI])
            let tokens = try await server.token(["client_id": clientID, "client_secret": secret, "code": code])
            #expect(tokens.status == .ok && tokens.string("access_token") != nil, "\(tokens.raw)")
        }
    }

    @Test func anotherAccountsClientIsNotFound() async throws {
        try await withTestServer { server in
            let (browser, csrf, _) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            let clientID = try field("client_id", in: try await server.post("/console/new", browser, form))
            let operatorClient = try await server.registerClient()

            let (intruder, intruderCSRF, _) = try await developer(server)
            #expect(!(try await server.page("/console", intruder)).raw.contains(clientID))
            for id in [clientID, operatorClient.id, "not-hex"] {
                #expect(try await server.page("/console/clients/\(id)", intruder).status == .notFound, "\(id)")
                for action in ["", "/rotate", "/forget-previous", "/delete"] {
                    let post = try await server.post("/console/clients/\(id)\(action)", intruder, [
                        "csrf_token": intruderCSRF, "confirm": "yes", "name": "Pwned", "redirect_uris": "https://evil.example/cb",
                    ])
                    #expect(post.status == .notFound, "\(id)\(action)")
                }
            }
            let stored = try #require(try await server.dependencies.stores.oauthClients.client(id: OAuthClientID(hex: clientID)!))
            #expect(stored.name == "Notes <dev>" && stored.redirectURIs.first == "https://notes.example/callback")
        }
    }

    @Test(arguments: [
        ("redirect_uris", "http://notes.example/cb", "plain http is allowed only"),
        ("redirect_uris", "https://notes.example/cb#frag", "must not have a fragment"),
        ("redirect_uris", "", "at least one redirect URI"),
        ("name", " ", "1 to 256 characters"),
        ("webhook_url", "http://127.0.0.1:5432/", "webhook URL over https on a public host"),
        ("webhook_url", "https://10.0.0.8/hook", "webhook URL over https on a public host"),
        ("webhook_url", "https://metadata.internal/hook", "webhook URL over https on a public host"),
        ("image_uri", "javascript:alert(1)", "not an absolute http(s) URL"),
        ("scopes", "profile \"quoted\"", "not a valid scope token"),
    ])
    func aRefusedRegistrationSaysWhyAndStoresNothing(field: String, value: String, message: String) async throws {
        try await withTestServer { server in
            let (browser, csrf, uid) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            form[field] = value
            let refused = try await server.post("/console/new", browser, form)
            #expect(refused.status == .badRequest)
            #expect(refused.raw.contains(message.htmlEscaped), "\(refused.raw)")
            #expect(refused.raw.contains("Notes &lt;dev&gt;") || field == "name", "the form keeps what was typed")
            #expect(try await server.dependencies.stores.oauthClients.clients(ownedBy: uid).isEmpty)
        }
    }

    @Test func editsKeepTypeTrustAndOwnerAndRotationShowsTheNewSecretOnce() async throws {
        try await withTestServer { server in
            let (browser, csrf, uid) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            let created = try await server.post("/console/new", browser, form)
            let clientID = try field("client_id", in: created)
            let firstSecret = try field("client_secret", in: created)
            let id = try #require(OAuthClientID(hex: clientID))

            var edit = Self.validForm
            edit["csrf_token"] = csrf
            edit["name"] = "Notes 2"
            edit["redirect_uris"] = "https://notes.example/v2/callback"
            edit["client_type"] = "public"
            edit.removeValue(forKey: "webhook_url")
            let saved = try await server.post("/console/clients/\(clientID)", browser, edit)
            #expect(saved.headers.first(name: .location) == "/console/clients/\(clientID)?done=saved", "\(saved.raw)")
            let stored = try #require(try await server.dependencies.stores.oauthClients.client(id: id))
            #expect(stored.name == "Notes 2" && stored.redirectURIs == ["https://notes.example/v2/callback"] && stored.webhookURL == nil)
            #expect(!stored.publicClient && !stored.trusted && stored.ownerUID == uid)

            let badEdit = try await server.post("/console/clients/\(clientID)", browser, ["csrf_token": csrf, "name": "x", "redirect_uris": ""])
            #expect(badEdit.status == .badRequest && badEdit.raw.contains("at least one redirect URI"))

            let rotated = try await server.post("/console/clients/\(clientID)/rotate", browser, ["csrf_token": csrf])
            let secondSecret = try field("client_secret", in: rotated)
            #expect(secondSecret != firstSecret && rotated.headers.first(name: .cacheControl) == "no-store")
            let user = try await server.signUp(TestUser())
            let client = TestClient(id: clientID, secret: nil, redirectURI: "https://notes.example/v2/callback")
            for secret in [firstSecret, secondSecret] {
                // It registered two redirect URIs, so it must name one.
                let code = try await server.code(
                    client, session: user.sessionToken, ["scope": "openid profile:email", "redirect_uri": client.redirectURI])
                #expect(try await server.token(["client_id": clientID, "client_secret": secret, "code": code]).status == .ok)
            }
            _ = try await server.post("/console/clients/\(clientID)/forget-previous", browser, ["csrf_token": csrf])
            // It registered two redirect URIs, so it must name one.
            let code = try await server.code(
                client, session: user.sessionToken, ["scope": "openid profile:email", "redirect_uri": client.redirectURI])
            expectOAuthError(try await server.token(["client_id": clientID, "client_secret": firstSecret, "code": code]),
                             .unauthorized, errno: 102, error: "invalid_client")
        }
    }

    @Test func deletionNeedsConfirmationAndEndsTheClient() async throws {
        try await withTestServer { server in
            let (browser, csrf, _) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            let clientID = try field("client_id", in: try await server.post("/console/new", browser, form))
            let id = try #require(OAuthClientID(hex: clientID))
            let unconfirmed = try await server.post("/console/clients/\(clientID)/delete", browser, ["csrf_token": csrf])
            #expect(unconfirmed.status == .badRequest)
            #expect(try await server.post("/console/clients/\(clientID)/delete", browser, ["confirm": "yes"]).status == .forbidden)
            #expect(try await server.dependencies.stores.oauthClients.client(id: id) != nil)
            let deleted = try await server.post("/console/clients/\(clientID)/delete", browser, ["csrf_token": csrf, "confirm": "yes"])
            #expect(deleted.headers.first(name: .location) == "/console?done=deleted")
            #expect(try await server.dependencies.stores.oauthClients.client(id: id) == nil)
        }
    }

    @Test func theClientPageListsItsRecentWebhookDeliveries() async throws {
        try await withTestServer { server in
            let (browser, csrf, _) = try await developer(server)
            var form = Self.validForm
            form["csrf_token"] = csrf
            let created = try await server.post("/console/new", browser, form)
            let client = TestClient(
                id: try field("client_id", in: created), secret: try field("client_secret", in: created),
                redirectURI: "https://notes.example/callback")
            #expect(try await server.page("/console/clients/\(client.id)", browser).raw.contains("No events have been sent yet."))
            // A user of the app changes their name: the app gets a profile-change.
            let user = try await server.signUp(TestUser())
            // It registered two redirect URIs, so it must name one.
            let code = try await server.code(
                client, session: user.sessionToken, ["scope": "openid profile:email", "redirect_uri": client.redirectURI])
            _ = try await server.token(["client_id": client.id, "client_secret": client.secret!, "code": code])
            let userBrowser = try await server.webSignIn(session: user.sessionToken)
            let userCSRF = try csrfToken(try await server.page("/settings", userBrowser))
            _ = try await server.post("/settings/display_name", userBrowser, ["csrf_token": userCSRF, "display_name": "Ada"])
            let page = try await server.page("/console/clients/\(client.id)", browser)
            #expect(page.raw.contains("<td>profile-change</td><td>pending</td>"), "\(page.raw)")
        }
    }

    @Test func internalHostsAreRecognised() {
        for host in ["localhost", "api.localhost", "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[fd00::1]", "[fe80::1]", "[::ffff:127.0.0.1]",
                     "2130706433", "0x7f000001", "printer.local", "db.internal", "127.1", "0177.0.0.1", "127.000.0.1",
                     "[0:0:0:0:0:0:0:1]", "[::]", "[::7f00:1]", "localhost.", "[febf::1]", "198.18.0.1", "192.0.0.8",
                     "224.0.0.1", "255.255.255.255"] {
            #expect(ConsoleClientForm.isInternal(host), "\(host)")
        }
        for host in ["notes.example", "172.32.0.1", "8.8.8.8", "[2001:db8::1]", "192.169.0.1", "0xford.example", "1password.example"] {
            #expect(!ConsoleClientForm.isInternal(host), "\(host)")
        }
    }

    @Test func onlyThisMachineCountsAsALoopbackServer() throws {
        for url in ["http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000", "http://127.1.2.3"] {
            #expect(try PublicBaseURL(url).isLoopback, "\(url)")
        }
        for url in ["http://127.example.com", "https://accounts.example", "http://10.0.0.1", "http://127.0.0.1.example"] {
            #expect(try !PublicBaseURL(url).isLoopback, "\(url)")
        }
    }
}
