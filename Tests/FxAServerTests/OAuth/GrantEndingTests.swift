import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// What ends OAuth grants, over HTTP as clients meet it: a password change
/// (public clients' tokens), a reset (everything), revoking a refresh token
/// (its whole exchange), and the user disconnecting an app (its events).
@Suite("What ends OAuth grants")
struct GrantEndingTests {
    /// An offline grant for `client`: its access and refresh tokens.
    static func offlineGrant(
        _ server: TestServer, _ client: TestClient, session: String, scope: String = "profile"
    ) async throws -> (access: String, refresh: String) {
        let pkce = pkcePair()
        let code = try await server.code(client, session: session, [
            "scope": scope, "access_type": "offline", "code_challenge_method": "S256", "code_challenge": pkce.challenge,
        ])
        var body: [String: Any] = ["client_id": client.id, "code": code, "code_verifier": pkce.verifier]
        if let secret = client.secret { body["client_secret"] = secret }
        let tokens = try await server.token(body)
        try #require(tokens.status == .ok, "token: \(tokens.raw)")
        return (try #require(tokens.string("access_token")), try #require(tokens.string("refresh_token")))
    }

    static func refresh(_ server: TestServer, _ client: TestClient, _ token: String) async throws -> APIResponse {
        var body: [String: Any] = ["grant_type": "refresh_token", "client_id": client.id, "refresh_token": token]
        if let secret = client.secret { body["client_secret"] = secret }
        return try await server.token(body)
    }

    /// The refresh token mints nothing (108) and the access token opens
    /// neither the profile (401) nor `/v1/verify` (108).
    static func expectEnded(
        _ server: TestServer, _ client: TestClient, _ grant: (access: String, refresh: String),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        expectOAuthError(try await refresh(server, client, grant.refresh), .badRequest, errno: 108, error: "invalid_grant",
                         sourceLocation: sourceLocation)
        expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: grant.access), .unauthorized, errno: 100,
                           sourceLocation: sourceLocation)
        expectOAuthError(try await server.call(.POST, "/v1/verify", json: ["token": grant.access]), .badRequest, errno: 108,
                         error: "invalid_grant", sourceLocation: sourceLocation)
    }

    static func expectAlive(
        _ server: TestServer, _ client: TestClient, _ grant: (access: String, refresh: String),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(try await refresh(server, client, grant.refresh).status == .ok, sourceLocation: sourceLocation)
        #expect(try await server.profileCall(.GET, "/v1/profile", token: grant.access).status == .ok, sourceLocation: sourceLocation)
    }

    /// An account signed in to an app on a phone (a public client) and to
    /// a website (a confidential one), with a code of the website's not yet
    /// exchanged.
    struct SignedInEverywhere {
        let user: TestUser
        let account: SignedUp
        let publicClient: TestClient
        let confidential: TestClient
        let phone: (access: String, refresh: String)
        let website: (access: String, refresh: String)
        let pending: String

        init(_ server: TestServer) async throws {
            user = TestUser()
            account = try await server.signUp(user)
            publicClient = try await server.registerClient(publicClient: true)
            confidential = try await server.registerClient()
            phone = try await GrantEndingTests.offlineGrant(server, publicClient, session: account.sessionToken)
            website = try await GrantEndingTests.offlineGrant(server, confidential, session: account.sessionToken)
            pending = try await server.code(confidential, session: account.sessionToken)
        }
    }

    @Test func aPasswordChangeEndsPublicClientsTokensAndPendingCodesAndKeepsConfidentialOnes() async throws {
        try await withTestServer { server in
            let everywhere = try await SignedInEverywhere(server)
            let (user, account, publicClient, confidential) = (everywhere.user, everywhere.account, everywhere.publicClient, everywhere.confidential)
            let (phone, website, pending) = (everywhere.phone, everywhere.website, everywhere.pending)

            let newUser = TestUser(user.email, password: "a new password after a theft")
            let finish = try await PasswordFlowTests.change(
                server, user, to: newUser, session: account.sessionToken, kB: account.kB, salt: nil)
            try #require(finish.status == .ok, "\(finish.raw)")

            try await Self.expectEnded(server, publicClient, phone)
            try await Self.expectAlive(server, confidential, website)
            expectOAuthError(
                try await server.token(["client_id": confidential.id, "client_secret": confidential.secret!, "code": pending]),
                .badRequest, errno: 105, error: "invalid_grant")
        }
    }

    @Test func aResetEndsEveryTokenAndCodeOfEveryClient() async throws {
        try await withTestServer { server in
            let everywhere = try await SignedInEverywhere(server)
            let (user, publicClient, confidential) = (everywhere.user, everywhere.publicClient, everywhere.confidential)
            let (phone, website, pending) = (everywhere.phone, everywhere.website, everywhere.pending)
            let bystander = try await server.verifiedSession()
            let theirs = try await Self.offlineGrant(server, confidential, session: bystander.session)

            try await server.resetPassword(user, to: TestUser(user.email, password: "reset by the owner"))

            try await Self.expectEnded(server, publicClient, phone)
            try await Self.expectEnded(server, confidential, website)
            expectOAuthError(
                try await server.token(["client_id": confidential.id, "client_secret": confidential.secret!, "code": pending]),
                .badRequest, errno: 105, error: "invalid_grant")
            try await Self.expectAlive(server, confidential, theirs)
        }
    }

    @Test(arguments: ["/v1/oauth/destroy", "/v1/destroy"])
    func revokingARefreshTokenEndsTheAccessTokensIssuedWithItAndFromIt(route: String) async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let grant = try await Self.offlineGrant(server, client, session: session)
            let minted = try #require(try await Self.refresh(server, client, grant.refresh).string("access_token"))
            let other = try await Self.offlineGrant(server, client, session: session)

            let field = route == "/v1/destroy" ? "refresh_token" : "token"
            let revoked = try await server.call(.POST, route, json: [
                field: grant.refresh, "client_id": client.id, "client_secret": client.secret!,
            ])
            #expect(revoked.raw == "{}", "\(revoked.raw)")
            for access in [grant.access, minted] {
                expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: access), .unauthorized, errno: 100)
            }
            try await Self.expectAlive(server, client, other)
        }
    }

    /// FxA's destroy finds the token before it reads the client: an unknown
    /// token is errno 108 even when the client's credentials are malformed
    /// (Basic and a body secret at once), and the same request with a token
    /// of the client's is refused for the credentials.
    @Test func destroyLooksTheTokenUpBeforeTheClientsCredentials() async throws {
        try await withTestServer { server in
            let client = try await server.registerClient()
            let (session, _) = try await server.verifiedSession()
            let grant = try await Self.offlineGrant(server, client, session: session)
            let basic = "Basic " + Data("\(client.id):\(client.secret!)".utf8).base64EncodedString()
            func destroy(_ refresh: String) async throws -> APIResponse {
                try await server.call(.POST, "/v1/destroy", json: ["refresh_token": refresh, "client_secret": client.secret!],
                                      headers: [("Authorization", basic)])
            }
            expectOAuthError(try await destroy(Hex32.random().hex), .badRequest, errno: 108, error: "invalid_grant")
            let known = try await destroy(grant.refresh)
            #expect(known.status == .badRequest && known.json["errno"] as? Int == 109, "\(known.raw)")
            try await Self.expectAlive(server, client, grant)
        }
    }

    @Test func revokingAnFxACredentialsRefreshTokenEndsTheAccessTokenIssuedBesideIt() async throws {
        try await withTestServer { server in
            let firefox = try await server.registerClient(publicClient: true, trusted: true, scopes: ["profile"])
            let (session, _) = try await server.verifiedSession()
            let granted = try await server.call(.POST, "/v1/oauth/token", json: [
                "client_id": firefox.id, "scope": "profile", "access_type": "offline",
            ], auth: Auth.session(session))
            try #require(granted.status == .ok, "\(granted.raw)")
            let access = try #require(granted.string("access_token"))
            #expect(try await server.profileCall(.GET, "/v1/profile", token: access).status == .ok)
            let revoked = try await server.call(.POST, "/v1/oauth/destroy", json: [
                "token": try #require(granted.string("refresh_token")), "client_id": firefox.id,
            ])
            #expect(revoked.raw == "{}", "\(revoked.raw)")
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: access), .unauthorized, errno: 100)
        }
    }

    @Test func aDisconnectedAppHearsNothingNewButTheDeletion() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let notes = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: "https://notes.example/events")
            let photos = try await server.registerClient(scopes: ["profile", "profile:write"], webhookURL: "https://photos.example/events")
            _ = try await Self.offlineGrant(server, notes, session: account.sessionToken)
            let writer = try await server.accessToken(photos, session: account.sessionToken, scope: "profile:write")

            let disconnected = try await server.call(
                .POST, "/v1/authorized-clients/destroy", json: ["client_id": notes.id], auth: Auth.session(account.sessionToken))
            #expect(disconnected.raw == "{}", "\(disconnected.raw)")
            let renamed = try await server.profileCall(.POST, "/v1/display_name", token: writer, json: ["displayName": "Ada"])
            #expect(renamed.status == .ok, "\(renamed.raw)")
            let deleted = try await server.call(.POST, "/v1/account/destroy", json: [
                "email": user.email, "authPW": try user.v1().authPW.hexString,
            ], auth: Auth.session(account.sessionToken))
            #expect(deleted.status == .ok, "\(deleted.raw)")

            let deliveries = try await server.dependencies.stores.outbox.deliveries(status: nil, clientID: nil, limit: 100)
            let heard = { (client: TestClient) in
                Set(deliveries.filter { $0.clientID.hex == client.id }.map(\.kind))
            }
            #expect(heard(photos) == [.profileChange, .deleteUser])
            #expect(heard(notes) == [.deleteUser])
        }
    }
}
