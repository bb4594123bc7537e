import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// Firefox's own OAuth client, built in: present on a fresh database, used
/// the way Firefox uses it (FIREFOX.md §4), never deletable, disable-able.
@Suite("Firefox's built-in clients")
struct FirstPartyClientsTests {
    static let desktop = FirstPartyClients.firefoxDesktop
    static let oldsync = "https://identity.mozilla.com/apps/oldsync"

    @Test func aFreshServerKnowsFirefoxDesktopAsAPublicTrustedClient() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            let stored = try #require(try await admin.list().first { $0.id == Self.desktop.id })
            #expect(stored.name == "Firefox")
            #expect(stored.redirectURIs == ["urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel"])
            #expect(stored.publicClient && stored.trusted && !stored.disabled && !stored.registeredInConsole)
            #expect(Set(stored.allowedScopes) == ["profile", "profile:write", Self.oldsync])
            #expect(stored.secretHash == nil)
        }
    }

    /// What Firefox sends after the sign-in page, in order (FIREFOX.md §4).
    @Test func firefoxsOwnSequenceWorks() async throws {
        try await withTestServer { server in
            let (session, uid) = try await server.verifiedSession()
            let pkce = pkcePair()
            let authorized = try await server.call(.POST, "/v1/oauth/authorization", json: [
                "client_id": Self.desktop.id.hex, "state": "ff-state", "scope": "\(Self.oldsync) profile",
                "access_type": "offline", "code_challenge_method": "S256", "code_challenge": pkce.challenge,
                "response_type": "code",
            ], auth: Auth.session(session))
            try #require(authorized.status == .ok, "\(authorized.raw)")
            let code = try #require(authorized.string("code"))
            #expect(authorized.string("redirect")?.hasPrefix("urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel?code=") == true)

            // Firefox trades it on the session route, with no redirect_uri and no secret.
            let tokens = try await server.call(.POST, "/v1/oauth/token", json: [
                "grant_type": "authorization_code", "code": code, "client_id": Self.desktop.id.hex, "code_verifier": pkce.verifier,
            ], auth: Auth.session(session))
            try #require(tokens.status == .ok, "\(tokens.raw)")
            #expect(tokens.string("scope") == "\(Self.oldsync) profile")
            let refresh = try #require(tokens.string("refresh_token"))

            // It destroys that refresh token with no authentication, awaited
            // (the exchange's access token goes with it, RFC 7009 §2.1:
            // Firefox does not use it, it asks for its own below).
            let destroyed = try await server.call(.POST, "/v1/oauth/destroy", json: ["client_id": Self.desktop.id.hex, "token": refresh])
            #expect(destroyed.raw == "{}", "\(destroyed.raw)")

            // Then asks for Sync's and the profile's tokens with its session.
            for (scope, ttl) in [(Self.oldsync, 21600), ("profile", 21900)] {
                let granted = try await server.call(.POST, "/v1/oauth/token", json: [
                    "client_id": Self.desktop.id.hex, "grant_type": "fxa-credentials", "scope": scope, "ttl": ttl,
                ], auth: Auth.session(session))
                #expect(granted.status == .ok, "\(granted.raw)")
                #expect(granted.string("scope") == scope)
                #expect(granted.json["expires_in"] as? Int == ttl)
                let verified = try await server.call(.POST, "/v1/verify", json: ["token": try #require(granted.string("access_token"))])
                #expect(verified.string("user") == uid && verified.string("client_id") == Self.desktop.id.hex)
            }
        }
    }

    @Test func itCannotBeDeletedButCanBeDisabledAndEnabled() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            await #expect(throws: FxAError.self) { try await admin.delete(Self.desktop.id) }
            #expect(try await admin.show(Self.desktop.id).name == "Firefox", "still there")

            let (session, _) = try await server.verifiedSession()
            let grant: [String: Any] = ["client_id": Self.desktop.id.hex, "grant_type": "fxa-credentials", "scope": "profile"]
            _ = try await admin.setDisabled(Self.desktop.id, true)
            expectOAuthError(try await server.call(.POST, "/v1/oauth/token", json: grant, auth: Auth.session(session)),
                             .badRequest, errno: 202, error: "invalid_client")
            _ = try await admin.setDisabled(Self.desktop.id, false)
            #expect(try await server.call(.POST, "/v1/oauth/token", json: grant, auth: Auth.session(session)).status == .ok)

            await #expect(throws: FxAError.self, "an unknown client cannot be disabled") {
                _ = try await admin.setDisabled(OAuthClientID.random(), true)
            }

            // An update keeps its urn: redirect URI, which no registration may use.
            let renamed = try await admin.update(Self.desktop.id) { $0.name = "Firefox (family)" }
            #expect(renamed.redirectURIs == Self.desktop.redirectURIs)
        }
    }

    @Test func theOrdinarySignInPageNeverSendsABrowserToTheURN() async throws {
        try await withTestServer { server in
            let page = try await server.call(.GET, "/authorization?client_id=\(Self.desktop.id.hex)&scope=profile&state=s"
                + "&code_challenge_method=S256&code_challenge=\(pkcePair().challenge)")
            #expect(page.status == .badRequest, "\(page.raw)")
            #expect(page.headers.first(name: .location) == nil)
            #expect(page.raw.contains("This app is Firefox, which signs in through its own sign-in page"))
        }
    }

    @Test func noOtherClientMayRegisterItsRedirectURI() async throws {
        try await withTestServer { server in
            let admin = server.dependencies.clientAdministration()
            for publicClient in [true, false] {
                await #expect(throws: FxAError.self) {
                    _ = try await admin.create(.init(
                        name: "Impostor", redirectURIs: ["urn:ietf:wg:oauth:2.0:oob:oauth-redirect-webchannel"],
                        allowedScopes: ["profile"], publicClient: publicClient, trusted: true, imageURI: nil, webhookURL: nil,
                        jwtAccessTokens: false))
                }
            }
        }
    }
}
