import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

/// Every way a token can fail to authenticate, for Bearer and Hawk.
@Suite("Token authentication")
struct TokenAuthTests {
    /// A Hawk header for `token` signed over `GET /v1/session/status` on the
    /// test host, at `timestamp` with `nonce`; `tamper` spoils the MAC.
    static func hawkHeader(
        token: String, kind: FxATokenKind = .sessionToken, method: String = "GET", path: String = "/v1/session/status",
        timestamp: Int64, nonce: String = "nonce-\(UUID().uuidString.prefix(6))", tamper: Bool = false
    ) -> String {
        let derived = DerivedToken(token: Data(hex: token)!, kind: kind)
        var mac = HawkSignature.mac(
            key: derived.hawkKey, timestamp: timestamp, nonce: nonce, method: method, resource: path,
            host: "accounts.example.test", port: 443, hash: nil, ext: nil)
        if tamper { mac = HawkSignature.mac(
            key: Data(repeating: 1, count: 32), timestamp: timestamp, nonce: nonce, method: method, resource: path,
            host: "accounts.example.test", port: 443, hash: nil, ext: nil) }
        return #"Hawk id="\#(derived.id.hexString)", ts="\#(timestamp)", nonce="\#(nonce)", mac="\#(mac)""#
    }

    @Test func bearerNeedsThePrefixOfTheRightKindAndAKnownId() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let token = account.sessionToken
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(token)).status == .ok)
            // A session token presented as a key-fetch token (or with no prefix) is refused.
            expectError(try await server.call(.GET, "/v1/session/status", auth: .bearer(.sessionToken, token: token, prefix: "fxk")),
                        .unauthorized, errno: 110)
            let id = DerivedToken(token: Data(hex: token)!, kind: .sessionToken).id.hexString
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header("Bearer \(id)")), .unauthorized, errno: 110)
            // The token itself (not its id) is not a credential either.
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header("Bearer fxs_\(token)")), .unauthorized, errno: 110)
            expectError(try await server.call(.GET, "/v1/session/status", auth: Auth.session(Hex32.random().hex)), .unauthorized, errno: 110)
            expectError(try await server.call(.GET, "/v1/session/status"), .unauthorized, errno: 110)
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header("Basic abc")), .unauthorized, errno: 110)
        }
    }

    @Test func hawkChecksTheMacTheClockAndTheNonce() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let now = Int64(server.clock.now().timeIntervalSince1970)
            let good = Self.hawkHeader(token: account.sessionToken, timestamp: now, nonce: "abc123")
            let ok = try await server.call(.GET, "/v1/session/status", auth: .header(good))
            #expect(ok.status == .ok, "\(ok.raw)")
            #expect(ok.headers.first(name: "Timestamp") == String(now))

            // The same request again: the nonce was seen.
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header(good)), .unauthorized, errno: 115)

            let forged = Self.hawkHeader(token: account.sessionToken, timestamp: now, tamper: true)
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header(forged)), .unauthorized, errno: 109)

            // Signed for another path: the MAC does not match this request.
            let elsewhere = Self.hawkHeader(token: account.sessionToken, path: "/v1/recovery_email/status", timestamp: now)
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header(elsewhere)), .unauthorized, errno: 109)

            let stale = Self.hawkHeader(token: account.sessionToken, timestamp: now - 120)
            let skewed = try await server.call(.GET, "/v1/session/status", auth: .header(stale))
            expectError(skewed, .unauthorized, errno: 111)
            #expect(skewed.json["serverTime"] as? Int == Int(now))

            let unknown = Self.hawkHeader(token: Hex32.random().hex, timestamp: now)
            expectError(try await server.call(.GET, "/v1/session/status", auth: .header(unknown)), .unauthorized, errno: 110)
        }
    }

    @Test func hawkPayloadHashMustMatchTheBody() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let now = Int64(server.clock.now().timeIntervalSince1970)
            let derived = DerivedToken(token: Data(hex: account.sessionToken)!, kind: .sessionToken)
            let claimed = HawkSignature.payloadHash(contentType: "application/json", body: Data(#"{"other":1}"#.utf8))
            let mac = HawkSignature.mac(
                key: derived.hawkKey, timestamp: now, nonce: "n1", method: "POST", resource: "/v1/session/destroy",
                host: "accounts.example.test", port: 443, hash: claimed, ext: nil)
            let header = #"Hawk id="\#(derived.id.hexString)", ts="\#(now)", nonce="n1", hash="\#(claimed)", mac="\#(mac)""#
            let response = try await server.call(.POST, "/v1/session/destroy", json: [:], auth: .header(header))
            expectError(response, .unauthorized, errno: 109)
            #expect(try await server.call(.GET, "/v1/session/status", auth: Auth.session(account.sessionToken)).status == .ok)
        }
    }

    @Test func shortLivedTokensExpire() async throws {
        try await withTestServer { server in
            let user = TestUser()
            _ = try await server.signUp(user)
            let login = try await server.login(user).response
            let session = try #require(login.string("sessionToken"))
            let start = try await server.call(.POST, "/v1/password/change/start", json: [
                "email": user.email, "oldAuthPW": try user.v1().authPW.hexString], auth: Auth.session(session))
            let changeToken = try #require(start.string("passwordChangeToken"))
            server.clock.advance(by: 16 * 60)
            let late = try await server.call(.POST, "/v1/password/change/finish", json: [
                "authPW": Hex32.random().hex, "wrapKb": Hex32.random().hex],
                auth: .bearer(.passwordChangeToken, token: changeToken))
            expectError(late, .unauthorized, errno: 110)
        }
    }
}
