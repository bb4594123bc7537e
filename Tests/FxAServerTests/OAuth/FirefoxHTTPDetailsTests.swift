import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing
import Vapor

/// HTTP details Firefox's HawkClient and OAuth code depend on (FIREFOX.md
/// §4): its clock comes from `Date` on a 401, any `Retry-After` puts the
/// whole account client into backoff, and `keys_jwe` must reach it as the
/// page made it.
@Suite("What Firefox needs from HTTP answers", .serialized)
struct FirefoxHTTPDetailsTests {
    static let desktop = FirstPartyClients.firefoxDesktop.id.hex
    static let oldsync = "https://identity.mozilla.com/apps/oldsync"

    /// (The `Date` header itself is added by the HTTP server, not seen
    /// in memory: interop/pyfxa/test_oauth_http_details.py checks it over
    /// real HTTP.)
    @Test func every401CarriesNoRetryAfter() async throws {
        try await withTestServer { server in
            let stale = Auth.session(Hex32.random().hex)
            let answers = [
                try await server.call(.GET, "/v1/session/status", auth: stale),
                try await server.call(.GET, "/v1/account/devices", auth: stale),
                try await server.call(.POST, "/v1/account/device", json: ["name": "x"], auth: stale),
                try await server.call(.GET, "/v1/account/attached_clients"),
                try await server.call(.POST, "/v1/oauth/token", json: [
                    "client_id": Self.desktop, "grant_type": "fxa-credentials", "scope": "profile",
                ], auth: stale),
                try await server.call(.GET, "/v1/profile", headers: [("Authorization", "Bearer " + Hex32.random().hex)]),
            ]
            for answer in answers {
                #expect(answer.status == .unauthorized, "\(answer.raw)")
                #expect(answer.headers.first(name: .retryAfter) == nil && answer.json["retryAfter"] == nil)
            }
        }
    }

    @Test func errorsFirefoxMeetsAfterSignInCarryNoRetryAfter() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let answers = [
                try await server.call(.POST, "/v1/account/device", json: ["id": DeviceID.random().hex], auth: Auth.session(session)),
                try await server.call(.GET, "/v1/account/device/commands", auth: Auth.session(session)),
                try await server.call(.POST, "/v1/oauth/token", json: [
                    "client_id": Self.desktop, "grant_type": "fxa-credentials", "scope": "openid",
                ], auth: Auth.session(session)),
                try await server.call(.POST, "/v1/oauth/destroy", json: ["client_id": Self.desktop]),
            ]
            for answer in answers {
                #expect((400..<500).contains(Int(answer.status.code)), "\(answer.raw)")
                #expect(answer.headers.first(name: .retryAfter) == nil && answer.json["retryAfter"] == nil, "\(answer.raw)")
            }
        }
    }

    /// The page's `keys_jwe` is stored with the code and handed to Firefox
    /// unchanged at the exchange, with `scope` and a refresh token.
    @Test func keysJWEReachesFirefoxAsThePageMadeIt() async throws {
        try await withTestServer { server in
            let (session, _) = try await server.verifiedSession()
            let pkce = pkcePair()
            let jwe = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSJ9..aXYtMTItYnl0ZXM.Y2lwaGVydGV4dA.dGFnLTE2LWJ5dGVzLXh4"
            let authorized = try await server.call(.POST, "/v1/oauth/authorization", json: [
                "client_id": Self.desktop, "state": "s", "scope": "\(Self.oldsync) profile", "access_type": "offline",
                "code_challenge_method": "S256", "code_challenge": pkce.challenge, "response_type": "code", "keys_jwe": jwe,
            ], auth: Auth.session(session))
            try #require(authorized.status == .ok, "\(authorized.raw)")
            let tokens = try await server.call(.POST, "/v1/oauth/token", json: [
                "grant_type": "authorization_code", "code": try #require(authorized.string("code")),
                "client_id": Self.desktop, "code_verifier": pkce.verifier,
            ], auth: Auth.session(session))
            #expect(tokens.status == .ok, "\(tokens.raw)")
            #expect(tokens.string("keys_jwe") == jwe)
            #expect(tokens.string("scope") == "\(Self.oldsync) profile")
            #expect(tokens.string("refresh_token") != nil)
            #expect(tokens.json["auth_at"] as? Int != nil)
        }
    }
}
