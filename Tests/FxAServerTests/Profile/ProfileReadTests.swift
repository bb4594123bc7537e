import FxACore
import FxAStore
import Foundation
import Testing
import Vapor

@Suite("Profile API: reading, scopes and tokens")
struct ProfileReadTests {
    @Test func aProfileTokenReadsEveryFieldAndOpenIDAddsSub() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile openid")
            let response = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(response.status == .ok, "\(response.raw)")
            #expect(Set(response.json.keys) == [
                "uid", "email", "locale", "amrValues", "twoFactorAuthentication", "displayName", "avatar", "avatarDefault", "sub",
            ])
            #expect(response.string("uid") == user.uid)
            #expect(response.string("sub") == user.uid)
            #expect(response.string("email") == user.email)
            #expect(response.json["locale"] is NSNull)
            #expect(response.json["displayName"] is NSNull)
            #expect(response.json["amrValues"] as? [String] == ["pwd", "email"])
            #expect(response.json["twoFactorAuthentication"] as? Bool == false)
            #expect(response.json["avatarDefault"] as? Bool == true)
            #expect(response.string("avatar") == "https://accounts.example.test/v1/avatar/U")  // user-…@example.test
            #expect(response.headers.contentType == .json)
            #expect(response.headers.first(name: .cacheControl) == "private, no-cache, no-store, must-revalidate")
            #expect(response.headers.first(name: .eTag)?.count == 34)
            #expect(response.headers.first(name: .lastModified) != nil)
        }
    }

    @Test func theLocaleIsTheAcceptLanguageSentAtSignUp() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let created = try await server.call(
                .POST, "/v1/account/create", json: ["email": user.email, "authPW": try user.v1().authPW.hexString],
                headers: [("Accept-Language", "fr-CA, fr;q=0.9, en;q=0.5")])
            try #require(created.status == .ok, "\(created.raw)")
            let uid = try #require(created.string("uid"))
            let code = try #require(try await server.mailHeader("X-Verify-Code", to: user.email))
            _ = try await server.call(.POST, "/v1/recovery_email/verify_code", json: ["uid": uid, "code": code])
            let session = try #require(created.string("sessionToken"))
            let client = try await server.registerClient(scopes: ["profile"])
            let token = try await server.accessToken(client, session: session, scope: "profile:locale")
            let response = try await server.profileCall(.GET, "/v1/profile", token: token)
            #expect(response.json as NSDictionary == ["locale": "fr-CA, fr;q=0.9, en;q=0.5"] as NSDictionary, "\(response.raw)")

            // A header that is not a language list is not kept.
            let odd = TestUser()
            let oddCreated = try await server.call(
                .POST, "/v1/account/create", json: ["email": odd.email, "authPW": try odd.v1().authPW.hexString],
                headers: [("Accept-Language", "<script>alert(1)</script>")])
            let oddHex = try #require(oddCreated.string("uid"))
            let oddUID = try #require(AccountUID(hex: oddHex))
            #expect(try await server.dependencies.stores.profiles.profile(uid: oddUID)?.locale == nil)
        }
    }

    /// Each field appears only with its scope; routes refuse tokens without theirs.
    @Test func scopesFilterFieldsAndGuardRoutes() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile:email")
            let profile = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(profile.json as NSDictionary == ["email": user.email] as NSDictionary, "\(profile.raw)")
            let email = try await server.profileCall(.GET, "/v1/email", token: user.accessToken)
            #expect(email.json as NSDictionary == ["email": user.email] as NSDictionary)

            for path in ["/v1/display_name", "/v1/uid", "/v1/avatar"] {
                let refused = try await server.profileCall(.GET, path, token: user.accessToken)
                expectProfileError(refused, .forbidden, errno: 100)
            }
            let write = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": "X"])
            expectProfileError(write, .forbidden, errno: 100)

            let uidOnly = try await server.accessToken(user.client, session: user.session, scope: "profile:uid profile:display_name")
            let filtered = try await server.profileCall(.GET, "/v1/profile", token: uidOnly)
            #expect(filtered.json as NSDictionary == ["uid": user.uid, "displayName": NSNull()] as NSDictionary, "\(filtered.raw)")
            let uid = try await server.profileCall(.GET, "/v1/uid", token: uidOnly)
            #expect(uid.json as NSDictionary == ["uid": user.uid] as NSDictionary)
            expectProfileError(try await server.profileCall(.GET, "/v1/email", token: uidOnly), .forbidden, errno: 100)

            // OIDC userinfo with `openid email`: sub and email, nothing else.
            let oidc = try await server.accessToken(user.client, session: user.session, scope: "openid email")
            let userinfo = try await server.profileCall(.GET, "/v1/profile", token: oidc)
            #expect(userinfo.json as NSDictionary == ["sub": user.uid, "email": user.email] as NSDictionary, "\(userinfo.raw)")

            // `profile` read scope does not grant writing.
            let reader = try await server.accessToken(user.client, session: user.session, scope: "profile")
            let refusedWrite = try await server.profileCall(.POST, "/v1/display_name", token: reader, json: ["displayName": "X"])
            expectProfileError(refusedWrite, .forbidden, errno: 100)
        }
    }

    @Test func aTokenWithNoProfileScopeCannotReadTheProfile() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(
                scope: "https://identity.mozilla.com/apps/oldsync", allowed: ["https://identity.mozilla.com/apps/oldsync"])
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: user.accessToken), .forbidden, errno: 100)
        }
    }

    @Test func missingMalformedUnknownAndWrongKindTokensAre401() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile")
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: nil), .unauthorized, errno: 100)
            let basic = try await server.call(.GET, "/v1/profile", auth: .header("Basic Zm9vOmJhcg=="))
            expectProfileError(basic, .unauthorized, errno: 100)
            for token in ["not-a-token", String(repeating: "ab", count: 32), user.accessToken.uppercased(), "a.b.c"] {
                let response = try await server.profileCall(.GET, "/v1/profile", token: token)
                expectProfileError(response, .unauthorized, errno: 100, reason: "Invalid token")
            }
            // A session token is not an access token.
            let session = try await server.call(.GET, "/v1/profile", auth: .bearer(.sessionToken, token: user.session))
            expectProfileError(session, .unauthorized, errno: 100)
            // Nor is a refresh token.
            let refresh = try await server.accessToken(user.client, session: user.session, scope: "profile", offline: true)
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: refresh), .unauthorized, errno: 100)
        }
    }

    @Test func expiredDestroyedAndDeletedAccountTokensStopWorking() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile")
            #expect(try await server.profileCall(.GET, "/v1/uid", token: user.accessToken).status == .ok)
            server.clock.advance(by: 24 * 3600 + 1)
            expectProfileError(
                try await server.profileCall(.GET, "/v1/uid", token: user.accessToken), .unauthorized, errno: 100,
                reason: "Expired token")

            let destroyed = try await server.profileToken(scope: "profile")
            _ = try await server.call(.POST, "/v1/destroy", json: ["access_token": destroyed.accessToken])
            expectProfileError(
                try await server.profileCall(.GET, "/v1/profile", token: destroyed.accessToken), .unauthorized, errno: 100)

            let deleted = try await server.profileToken(scope: "profile")
            let uid = try #require(AccountUID(hex: deleted.uid))
            try await server.dependencies.stores.accounts.delete(
                uid: uid, recording: OutboxEvent(uid: uid, kind: .deleteUser, occurredAt: server.clock.now()))
            expectProfileError(
                try await server.profileCall(.GET, "/v1/profile", token: deleted.accessToken), .unauthorized, errno: 100)
        }
    }

    @Test func jwtAccessTokensReadTheProfileAndStopWhenDestroyed() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile", jwt: true)
            #expect(user.accessToken.split(separator: ".").count == 3)
            let response = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            #expect(response.string("uid") == user.uid, "\(response.raw)")
            _ = try await server.call(.POST, "/v1/destroy", json: ["access_token": user.accessToken])
            expectProfileError(try await server.profileCall(.GET, "/v1/profile", token: user.accessToken), .unauthorized, errno: 100)
            // A JWT whose signature was tampered with.
            var parts = user.accessToken.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            expectProfileError(
                try await server.profileCall(.GET, "/v1/profile", token: parts.joined(separator: ".")), .unauthorized, errno: 100)
        }
    }

    /// An RP polling with the ETag costs a 304 until something changes.
    @Test func theETagAnswers304UntilTheProfileChanges() async throws {
        try await withTestServer { server in
            let user = try await server.profileToken(scope: "profile profile:write")
            let first = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken)
            let etag = try #require(first.headers.first(name: .eTag))
            for tag in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
                let cached = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken, headers: [("If-None-Match", tag)])
                #expect(cached.status == .notModified, "\(tag)")
                #expect(cached.bytes.isEmpty)
                #expect(cached.headers.first(name: .eTag) == etag)
            }
            let other = try await server.profileCall(
                .GET, "/v1/profile", token: user.accessToken, headers: [("If-None-Match", "\"0000\"")])
            #expect(other.status == .ok)
            // The 304 path still needs a valid token.
            expectProfileError(
                try await server.profileCall(.GET, "/v1/profile", token: nil, headers: [("If-None-Match", etag)]),
                .unauthorized, errno: 100)

            _ = try await server.profileCall(.POST, "/v1/display_name", token: user.accessToken, json: ["displayName": "Ada"])
            let changed = try await server.profileCall(.GET, "/v1/profile", token: user.accessToken, headers: [("If-None-Match", etag)])
            #expect(changed.status == .ok)
            #expect(changed.string("displayName") == "Ada")
            #expect(changed.headers.first(name: .eTag) != etag)

            // A token with other scopes sees another representation, so another ETag.
            let narrow = try await server.accessToken(user.client, session: user.session, scope: "profile:email")
            let narrowed = try await server.profileCall(.GET, "/v1/profile", token: narrow, headers: [("If-None-Match", etag)])
            #expect(narrowed.status == .ok)
        }
    }

    @Test func discoveryAdvertisesTheProfileAsUserinfo() async throws {
        try await withTestServer { server in
            let document = try await server.call(.GET, "/.well-known/openid-configuration")
            #expect(document.string("userinfo_endpoint") == "https://accounts.example.test/v1/profile")
        }
    }
}
