import Crypto
import Foundation
import FxACore
@testable import FxAServer
import FxAStore
import Testing
import Vapor

/// `GET /token/1.0/sync/1.5` as Firefox calls it: a Sync-scoped access
/// token from the fxa-credentials grant, the key id built from the
/// scoped-key data, and the tokenserver's answers and refusals.
@Suite("Sync tokenserver")
struct TokenserverTests {
    static let path = "/token/1.0/sync/1.5"
    static let desktop = FirstPartyClients.firefoxDesktop.id.hex

    /// A Firefox signed in to one account, as the tokenserver sees it.
    struct SignedInFirefox {
        let user: TestUser
        let account: SignedUp
        var session: String
        var accessToken: String
        /// `X-KeyID`: the keys' change time from scoped-key data and a
        /// fingerprint of kB, as Firefox builds it.
        var keyID: String
    }

    private func withSyncServer(_ body: (TestServer) async throws -> Void) async throws {
        try await withTestServer(configure: { $0.syncEnabled = true }, body)
    }

    /// Firefox's own steps after sign-in: an access token of Sync's scope
    /// through its session, and the key data for its `X-KeyID`.
    private func signIn(_ server: TestServer, _ user: TestUser = TestUser()) async throws -> SignedInFirefox {
        let account = try await server.signUp(user)
        return try await refreshed(server, SignedInFirefox(
            user: user, account: account, session: account.sessionToken, accessToken: "", keyID: ""), kB: account.kB)
    }

    /// New token and key id for `firefox`'s session (after a password change or reset).
    private func refreshed(_ server: TestServer, _ firefox: SignedInFirefox, kB: Data) async throws -> SignedInFirefox {
        var firefox = firefox
        let token = try await server.call(.POST, "/v1/oauth/token", json: [
            "grant_type": "fxa-credentials", "client_id": Self.desktop, "scope": ScopedKeyDerivation.oldsync, "ttl": 21600,
        ], auth: Auth.session(firefox.session))
        firefox.accessToken = try #require(token.string("access_token"), "\(token.raw)")
        let keyData = try await server.call(.POST, "/v1/account/scoped-key-data", json: [
            "client_id": Self.desktop, "scope": ScopedKeyDerivation.oldsync,
        ], auth: Auth.session(firefox.session))
        let entry = try #require(keyData.json[ScopedKeyDerivation.oldsync] as? [String: Any], "\(keyData.raw)")
        let changedAt = try #require(entry["keyRotationTimestamp"] as? Int)
        firefox.keyID = Self.keyID(keysChangedAt: Int64(changedAt), kB: kB)
        return firefox
    }

    static func keyID(keysChangedAt: Int64, kB: Data) -> String {
        SyncKeyID(keysChangedAt: keysChangedAt, clientState: Data(SHA256.hash(data: kB)).prefix(16).hexString).header
    }

    private func token(
        _ server: TestServer, _ firefox: SignedInFirefox, query: String = "", keyID: String? = nil,
        extra: [(String, String)] = []
    ) async throws -> APIResponse {
        try await server.call(
            .GET, Self.path + query, auth: .header("Bearer \(firefox.accessToken)"),
            headers: [("X-KeyID", keyID ?? firefox.keyID)] + extra)
    }

    private func expectRefusal(
        _ server: TestServer, _ response: APIResponse, _ status: HTTPStatus, _ word: String, location: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(response.raw)", sourceLocation: sourceLocation)
        #expect(response.string("status") == word, "\(response.raw)", sourceLocation: sourceLocation)
        let errors = response.json["errors"] as? [[String: Any]]
        #expect(errors?.count == 1, "\(response.raw)", sourceLocation: sourceLocation)
        if let location {
            #expect(errors?.first?["location"] as? String == location, "\(response.raw)", sourceLocation: sourceLocation)
        }
        #expect(response.headers.contentType == .json, sourceLocation: sourceLocation)
        #expect(response.headers.first(name: "X-Timestamp").flatMap(Int64.init) == Int64(server.clock.now().timeIntervalSince1970),
                "Firefox corrects its clock from 401s too", sourceLocation: sourceLocation)
    }

    @Test func firefoxGetsHawkCredentialsForItsOwnStorage() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let answer = try await token(server, firefox)
            #expect(answer.status == .ok, "\(answer.raw)")
            #expect(answer.headers.contentType == .json)
            let timestamp = try #require(answer.headers.first(name: "X-Timestamp").flatMap(Int64.init))
            #expect(timestamp == Int64(server.clock.now().timeIntervalSince1970))
            let uid = try #require(answer.json["uid"] as? Int)
            #expect(answer.string("api_endpoint") == "https://accounts.example.test/1.5/\(uid)")
            #expect(answer.json["duration"] as? Int == 3600)
            #expect(answer.string("hashalg") == "sha256")
            #expect(answer.string("node_type") == "sqlite")
            let hashedUID = try #require(answer.string("hashed_fxa_uid"))
            #expect(hashedUID.count == 32 && Data(hex: hashedUID) != nil)

            // The token opens with the server's secret, names this user and
            // this account, and its key is the one handed out beside it.
            let id = try #require(answer.string("id"))
            let key = try #require(answer.string("key"))
            let signers = try await SyncTokenSecrets(keyRing: server.dependencies.keyRing).accepted()
            let payload = try #require(signers.first?.payload(ofTokenID: id))
            #expect(payload.uid == Int64(uid))
            #expect(payload.fxaUID == firefox.account.uid)
            #expect(payload.fxaKeyID == firefox.keyID)
            #expect(payload.node == "https://accounts.example.test")
            #expect(payload.expires == timestamp + 3600)
            #expect(signers.first?.derivedKey(tokenID: id, salt: payload.salt) == key)
            #expect(payload.hashedFxAUID == hashedUID)
            #expect(payload.hashedDeviceID == signers.first?.hashedDeviceID(hashedFxAUID: hashedUID))

            // The same keys again: the same user, a new token.
            let again = try await token(server, firefox)
            #expect(again.json["uid"] as? Int == uid)
            #expect(again.string("id") != id)
        }
    }

    @Test func aShorterDurationIsHonouredAndALongerOneIgnored() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            #expect(try await token(server, firefox, query: "?duration=60").json["duration"] as? Int == 60)
            #expect(try await token(server, firefox, query: "?duration=86400").json["duration"] as? Int == 3600)
            #expect(try await token(server, firefox, query: "?duration=soon").json["duration"] as? Int == 3600)
            #expect(try await token(server, firefox, query: "?duration=0").json["duration"] as? Int == 3600)
        }
    }

    @Test func eachAccountGetsItsOwnSyncUser() async throws {
        try await withSyncServer { server in
            let first = try await token(server, try await signIn(server)).json["uid"] as? Int
            let second = try await token(server, try await signIn(server)).json["uid"] as? Int
            #expect(first != nil && second != nil && first != second)
        }
    }

    @Test func badCredentialsAreRefusedInTheTokenserversWords() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let keyID = [("X-KeyID", firefox.keyID)]
            expectRefusal(server, try await server.call(.GET, Self.path, headers: keyID), .unauthorized, "error")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Basic dXNlcjpwYXNz"), headers: keyID),
                          .unauthorized, "error")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer"), headers: keyID), .unauthorized, "error")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer \(Hex32.random().hex)"), headers: keyID),
                          .unauthorized, "invalid-credentials")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer not-a-token"), headers: keyID),
                          .unauthorized, "invalid-credentials")

            // The scheme's case does not matter.
            let lowercase = try await server.call(.GET, Self.path, auth: .header("bearer \(firefox.accessToken)"), headers: keyID)
            #expect(lowercase.status == .ok, "\(lowercase.raw)")

            // A token of another scope, even from the same Firefox.
            let profileOnly = try await server.call(.POST, "/v1/oauth/token", json: [
                "grant_type": "fxa-credentials", "client_id": Self.desktop, "scope": "profile",
            ], auth: Auth.session(firefox.session))
            let other = try #require(profileOnly.string("access_token"))
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer \(other)"), headers: keyID),
                          .unauthorized, "invalid-credentials")

            // A destroyed token, at once.
            let destroyed = try await server.call(.POST, "/v1/oauth/destroy", json: ["client_id": Self.desktop, "token": firefox.accessToken])
            try #require(destroyed.status == .ok, "\(destroyed.raw)")
            expectRefusal(server, try await token(server, firefox), .unauthorized, "invalid-credentials")
        }
    }

    @Test func aRefreshTokenIsNoAccessToken() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let offline = try await server.call(.POST, "/v1/oauth/token", json: [
                "grant_type": "fxa-credentials", "client_id": Self.desktop, "scope": ScopedKeyDerivation.oldsync,
                "access_type": "offline",
            ], auth: Auth.session(firefox.session))
            let refresh = try #require(offline.string("refresh_token"), "\(offline.raw)")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer \(refresh)"),
                                                        headers: [("X-KeyID", firefox.keyID)]),
                          .unauthorized, "invalid-credentials")
        }
    }

    /// The key id's time must be the account's: a Sync token alone does
    /// not let its holder claim keys the account never had, which would
    /// make a Sync user its real devices are then refused by.
    @Test func keysTheAccountNeverHadAreRefusedAndChangeNothing() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let real = try #require(SyncKeyID(header: firefox.keyID))
            for keysChangedAt in [real.keysChangedAt + 1, real.keysChangedAt - 1, 0] {
                let forged = SyncKeyID(keysChangedAt: keysChangedAt, clientState: "00112233445566778899aabbccddeeff").header
                expectRefusal(server, try await token(server, firefox, keyID: forged), .unauthorized, "invalid-keysChangedAt")
            }
            let uid = try #require(AccountUID(hex: firefox.account.uid))
            #expect(try await server.dependencies.stores.syncUsers.syncUsers(uid: uid).isEmpty)
            #expect(try await token(server, firefox).status == .ok)
        }
    }

    /// A confidential client's token survives a password change (FxA ends
    /// only public clients' tokens), but it no longer opens Sync storage.
    @Test func aTokenFromBeforeTheCurrentPasswordIsOfAnOlderGeneration() async throws {
        try await withSyncServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let client = try await server.registerClient(
                trusted: true, scopes: [ScopedKeyDerivation.oldsync], jwtAccessTokens: true)
            let jwe = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..aXYtMTItYnl0ZXM.Y2lwaGVydGV4dA.dGFnLTE2LWJ5dGVzLXh4"
            let code = try await server.code(client, session: account.sessionToken, [
                "scope": ScopedKeyDerivation.oldsync, "keys_jwe": jwe,
            ])
            let tokens = try await server.token([
                "grant_type": "authorization_code", "code": code, "client_id": client.id,
                "client_secret": try #require(client.secret),
            ])
            let access = try #require(tokens.string("access_token"), "\(tokens.raw)")
            let keyData = try await server.call(.POST, "/v1/account/scoped-key-data", json: [
                "client_id": client.id, "scope": ScopedKeyDerivation.oldsync,
            ], auth: Auth.session(account.sessionToken))
            let changedAt = try #require((keyData.json[ScopedKeyDerivation.oldsync] as? [String: Any])?["keyRotationTimestamp"] as? Int)
            let keyID = Self.keyID(keysChangedAt: Int64(changedAt), kB: account.kB)
            let call = { try await server.call(.GET, Self.path, auth: .header("Bearer \(access)"), headers: [("X-KeyID", keyID)]) }
            #expect(try await call().status == .ok, "a JWT access token works as an opaque one does")
            // A signature character well inside it (the last one carries padding bits only).
            var characters = Array(access)
            characters[characters.count - 10] = characters[characters.count - 10] == "A" ? "B" : "A"
            let tampered = String(characters)
            expectRefusal(server, try await server.call(.GET, Self.path, auth: .header("Bearer \(tampered)"),
                                                        headers: [("X-KeyID", keyID)]),
                          .unauthorized, "invalid-credentials")

            server.clock.advance(by: 5)
            let finish = try await PasswordFlowTests.change(
                server, user, to: TestUser(user.email, password: "another horse battery"), session: account.sessionToken,
                kB: account.kB, salt: nil)
            try #require(finish.status == .ok, "\(finish.raw)")
            #expect(try await server.call(.POST, "/v1/verify", json: ["token": access]).status == .ok,
                    "the confidential client's token itself lives on")
            expectRefusal(server, try await call(), .unauthorized, "invalid-generation")
        }
    }

    @Test func anExpiredTokenIsRefused() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            server.clock.advance(by: 21600 + 1)
            expectRefusal(server, try await token(server, firefox), .unauthorized, "invalid-credentials")
        }
    }

    @Test func theKeyIDMustBeThereAndReadable() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let bearer = TestAuth.header("Bearer \(firefox.accessToken)")
            expectRefusal(server, try await server.call(.GET, Self.path, auth: bearer), .unauthorized, "invalid-key-id", location: "header")
            expectRefusal(server, try await token(server, firefox, keyID: "1234\t-qqo"), .unauthorized, "invalid-key-id",
                          location: "header")
            for unreadable in ["1234", "abc-qqo", "1234-", "1234-q+o", "-qqo", "1234-qqo=", "1234 -qqo"] {
                expectRefusal(server, try await token(server, firefox, keyID: unreadable), .unauthorized, "invalid-credentials")
            }
            // The legacy X-Client-State must agree with the key id.
            let state = try #require(SyncKeyID(header: firefox.keyID)).clientState
            #expect(try await token(server, firefox, extra: [("X-Client-State", state)]).status == .ok)
            expectRefusal(server, try await token(server, firefox, extra: [("X-Client-State", "aaaa")]),
                          .unauthorized, "invalid-client-state")
            expectRefusal(server, try await token(server, firefox, extra: [("X-Client-State", "not hex!")]),
                          .badRequest, "error", location: "header")
        }
    }

    @Test func onlySyncOneFiveIsServed() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            let bearer = TestAuth.header("Bearer \(firefox.accessToken)")
            let keyID = [("X-KeyID", firefox.keyID)]
            expectRefusal(server, try await server.call(.GET, "/token/1.0/history/1.5", auth: bearer, headers: keyID), .notFound, "error",
                          location: "url")
            expectRefusal(server, try await server.call(.GET, "/token/1.0/sync/1.1", auth: bearer, headers: keyID), .notFound, "error",
                          location: "url")
            // Any other request under /token is answered in the tokenserver's words.
            expectRefusal(server, try await server.call(.POST, Self.path, auth: bearer, headers: keyID), .notFound, "error",
                          location: "url")
            expectRefusal(server, try await server.call(.GET, "/token/1.0/sync", auth: bearer, headers: keyID), .notFound, "error",
                          location: "url")
        }
    }

    @Test func aPasswordChangeKeepsTheStorageAndAResetStartsAnEmptyOne() async throws {
        try await withSyncServer { server in
            var firefox = try await signIn(server)
            let before = try #require(try await token(server, firefox).json["uid"] as? Int)

            // A change keeps kB: same fingerprint, a later generation, same storage.
            server.clock.advance(by: 5)
            let changed = TestUser(firefox.user.email, password: "a new correct horse")
            let finish = try await PasswordFlowTests.change(
                server, firefox.user, to: changed, session: firefox.session, kB: firefox.account.kB, salt: nil)
            firefox = SignedInFirefox(
                user: changed, account: firefox.account, session: try #require(finish.string("sessionToken"), "\(finish.raw)"),
                accessToken: "", keyID: "")
            firefox = try await refreshed(server, firefox, kB: firefox.account.kB)
            let afterChange = try await token(server, firefox)
            #expect(afterChange.json["uid"] as? Int == before, "\(afterChange.raw)")
            let staleKeyID = firefox.keyID

            // A reset replaces kB and moves keysChangedAt: a new Sync user,
            // so the new keys start on empty storage.
            server.clock.advance(by: 5)
            let reset = TestUser(firefox.user.email, password: "reset correct horse")
            try await server.resetPassword(changed, to: reset)
            let login = try await server.login(reset, keys: true)
            let newKB = try #require(login.kB)
            firefox = SignedInFirefox(
                user: reset, account: firefox.account, session: try #require(login.response.string("sessionToken")),
                accessToken: "", keyID: "")
            firefox = try await refreshed(server, firefox, kB: newKB)
            let afterReset = try await token(server, firefox)
            let newUID = try #require(afterReset.json["uid"] as? Int, "\(afterReset.raw)")
            #expect(newUID != before)
            let signers = try await SyncTokenSecrets(keyRing: server.dependencies.keyRing).accepted()
            let resetTokenID = try #require(afterReset.string("id"))
            let payload = try #require(signers.first?.payload(ofTokenID: resetTokenID))
            #expect(payload.fxaKeyID == firefox.keyID, "the token names the new keys")

            // A device still holding the old keys is told its client state
            // is stale, which makes Firefox fetch the new keys.
            expectRefusal(server, try await token(server, firefox, keyID: staleKeyID), .unauthorized, "invalid-keysChangedAt")
            let staleState = try #require(SyncKeyID(header: staleKeyID)).clientState
            let current = try #require(SyncKeyID(header: firefox.keyID))
            let oldStateNewTime = SyncKeyID(keysChangedAt: current.keysChangedAt, clientState: staleState).header
            let stale = try await token(server, firefox, keyID: oldStateNewTime)
            expectRefusal(server, stale, .unauthorized, "invalid-client-state", location: "header")
            #expect((stale.json["errors"] as? [[String: Any]])?.first?["description"] as? String
                    == "Unacceptable client-state value stale value")
            // New keys with no change of time are refused too.
            let newStateOldTime = SyncKeyID(keysChangedAt: current.keysChangedAt, clientState: "0123456789abcdef0123456789abcdef").header
            expectRefusal(server, try await token(server, firefox, keyID: newStateOldTime), .unauthorized, "invalid-client-state",
                          location: "header")
            #expect(try await token(server, firefox).json["uid"] as? Int == newUID)
        }
    }

    @Test func withSyncOffNothingIsServedOrAnnounced() async throws {
        try await withTestServer { server in
            let firefox = try await signIn(server)
            let answer = try await token(server, firefox)
            expectError(answer, .notFound, errno: 999)
            let document = try await server.call(.GET, "/.well-known/fxa-client-configuration")
            #expect(document.json["sync_tokenserver_base_url"] == nil)
        }
        try await withSyncServer { server in
            let document = try await server.call(.GET, "/.well-known/fxa-client-configuration")
            #expect(document.string("sync_tokenserver_base_url") == "https://accounts.example.test/token")
        }
        try await withTestServer(configure: {
            $0.syncEnabled = true
            $0.syncTokenserverURL = "https://sync.example.test/token"
        }) { server in
            let document = try await server.call(.GET, "/.well-known/fxa-client-configuration")
            #expect(document.string("sync_tokenserver_base_url") == "https://sync.example.test/token",
                    "the operator's own tokenserver wins")
        }
    }

    /// An outage or bug behind a tokenserver route: Firefox gets the
    /// tokenserver's 500 body, which names nothing of the cause.
    @Test func anUnexpectedFailureIsAnInternalErrorThatTellsNothing() async throws {
        struct Boom: Error { let detail = "SELECT secret FROM somewhere" }
        try await withTestServer(routes: { app in
            app.grouped(SyncServiceMiddleware(service: .tokenserver, clock: ManualWallClock(Date())))
                .get("token", "boom") { _ -> String in throw Boom() }
        }) { server in
            let answer = try await server.call(.GET, "/token/boom")
            #expect(answer.status == .internalServerError)
            #expect(answer.string("status") == "internal-error", "\(answer.raw)")
            #expect(answer.headers.first(name: "X-Timestamp") != nil)
            #expect(!answer.raw.contains("SELECT"), "\(answer.raw)")
            let entry = (answer.json["errors"] as? [[String: Any]])?.first
            #expect(entry?["name"] as? String == "" && entry?["description"] as? String == "Server error", "\(answer.raw)")
            #expect(answer.json.count == 2 && entry?.count == 3, "\(answer.raw)")
        }
    }

    @Test func aDeletedAccountGetsNoToken() async throws {
        try await withSyncServer { server in
            let firefox = try await signIn(server)
            #expect(try await token(server, firefox).status == .ok)
            let uid = try #require(AccountUID(hex: firefox.account.uid))
            try await server.dependencies.stores.accounts.delete(
                uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: server.clock.now()))
            expectRefusal(server, try await token(server, firefox), .unauthorized, "invalid-credentials")
            #expect(try await server.dependencies.stores.syncUsers.syncUsers(uid: uid).isEmpty)
        }
    }
}
