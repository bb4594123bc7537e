import Crypto
import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing

/// Account recovery keys: FxA's routes, and a password reset with the key
/// that keeps kB (so Sync's key and every relying party's) where a reset
/// without it replaces kB.
@Suite("Account recovery keys")
struct RecoveryKeyTests {
    /// fxa-auth-client's own test vector (`test/recoveryKey.ts`): the
    /// browser side these tests play computes what FxA's clients compute.
    @Test func theClientSideMatchesFxAsPublishedVector() throws {
        let key = RecoveryKeyClient(raw: Data(hex: "00443214c74254b635cf84653a56d7c675be77df")!)
        let uid = Data(hex: "aaaaabbbbbcccccdddddeeeeefffff00")!
        #expect(key.id(uid: uid).hexString == "6aa248931704886f54ac64b81b111bc0")
        let sealed = try key.seal(
            #"{"kB":"000000111111222222333333444444555555666666777777888888999999ABCD"}"#, uid: uid,
            iv: Data(hex: "eeddccbbaa99887766554433")!)
        #expect(sealed == "eyJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiZGlyIiwia2lkIjoiNmFhMjQ4OTMxNzA0ODg2ZjU0YWM2NGI4MWIxMTFiYzAifQ..7t3Mu6qZiHdmVUQz.qoXWfU77FBV67Pyy_GXAkoSuAbksIqAXZd2tkq48iD3u_qWEEAeYx-M3m2G373zes3OXsSZdJIGRFmd8bC9s4ZvN3kF3A6vK5g.yT7bkdF8AYC6ecwsvRCI7A")
    }

    /// Creates a key for a signed-up account; returns it.
    private func createKey(_ server: TestServer, _ account: SignedUp, replace: Bool = false) async throws -> (RecoveryKeyClient, APIResponse) {
        let key = RecoveryKeyClient.random()
        let uid = Data(hex: account.uid)!
        let created = try await server.call(
            .POST, "/v1/recoveryKey",
            json: ["recoveryKeyId": key.id(uid: uid).hexString, "recoveryData": try key.seal(#"{"kB":"\#(account.kB.hexString)"}"#, uid: uid),
                   "enabled": true, "replaceKey": replace],
            auth: .bearer(.sessionToken, token: account.sessionToken))
        return (key, created)
    }

    @Test func aKeyIsCreatedReplacedOnlyWhenAskedHintedAndDeleted() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            #expect(try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth).json["exists"] as? Bool == false)
            let (first, created) = try await createKey(server, account)
            #expect(created.status == .ok && created.raw == "{}", "\(created.raw)")
            #expect(try await server.mailTemplates(to: user.email).contains("postAddAccountRecovery"))
            expectError(try await createKey(server, account).1, .badRequest, errno: 161)
            let (second, replaced) = try await createKey(server, account, replace: true)
            #expect(replaced.status == .ok)
            #expect(try await server.mailTemplates(to: user.email).contains("postChangeAccountRecovery"))

            let uid = Data(hex: account.uid)!
            expectError(
                try await server.call(.POST, "/v1/recoveryKey/verify", json: ["recoveryKeyId": first.id(uid: uid).hexString], auth: auth),
                .badRequest, errno: 159)
            #expect(try await server.call(
                .POST, "/v1/recoveryKey/verify", json: ["recoveryKeyId": second.id(uid: uid).hexString], auth: auth).status == .ok)
            #expect(try await server.call(.POST, "/v1/recoveryKey/hint", json: ["hint": "  in the blue folder "], auth: auth).status == .ok)
            let exists = try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth)
            #expect(exists.json["exists"] as? Bool == true && exists.string("hint") == "in the blue folder")
            expectError(
                try await server.call(.POST, "/v1/recoveryKey/hint", json: ["hint": "bad\u{0007}hint"], auth: auth), .badRequest, errno: 107)

            let deleted = try await server.call(.DELETE, "/v1/recoveryKey", auth: auth)
            #expect(deleted.status == .ok)
            #expect(try await server.mailTemplates(to: user.email).contains("postRemoveAccountRecovery"))
            #expect(try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth).json["exists"] as? Bool == false)
            expectError(try await server.call(.POST, "/v1/recoveryKey/hint", json: ["hint": "x"], auth: auth), .badRequest, errno: 158)
        }
    }

    @Test func badCreatesGetFxAsErrnos() async throws {
        try await withTestServer { server in
            let account = try await server.signUp(TestUser())
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            let id = SecureRandom.bytes(16).hexString
            for (body, errno) in [
                (["recoveryData": "x.y"] as [String: Any], 108),
                (["recoveryKeyId": "zz", "recoveryData": "x.y"], 107),
                (["recoveryKeyId": id, "recoveryData": String(repeating: "a", count: 1025)], 107),
                (["recoveryKeyId": id, "recoveryData": ""], 107),
                (["recoveryKeyId": id, "recoveryData": "a.b\u{0}c"], 107),
            ] {
                expectError(try await server.call(.POST, "/v1/recoveryKey", json: body, auth: auth), .badRequest, errno: errno)
            }
            let unverified = try await server.signUp(TestUser(), verify: false)
            expectError(
                try await server.call(.POST, "/v1/recoveryKey", json: ["recoveryKeyId": id, "recoveryData": "x.y"],
                                      auth: .bearer(.sessionToken, token: unverified.sessionToken)),
                .badRequest, errno: 104)
        }
    }

    /// Today's FxA settings create and remove the key with an MFA token for
    /// `recovery_key`, not the session token.
    @Test func theMFARoutesCreateAndRemoveTheKeyWithATokenForThatAction() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let uid = try #require(Data(hex: account.uid))
            let key = RecoveryKeyClient.random()
            let body: [String: Any] = [
                "recoveryKeyId": key.id(uid: uid).hexString, "recoveryData": try key.seal(#"{"kB":"\#(account.kB.hexString)"}"#, uid: uid),
                "enabled": true,
            ]
            let wrongAction = try await server.mfaToken(user, session: account.sessionToken, action: "2fa")
            expectError(try await server.callWithMFA("/v1/mfa/recoveryKey", token: wrongAction, json: body), .unauthorized, errno: 223)
            expectError(try await server.callWithMFA("/v1/mfa/recoveryKey", token: "not.a.token", json: body), .unauthorized, errno: 223)

            let token = try await server.mfaToken(user, session: account.sessionToken, action: "recovery_key")
            let created = try await server.callWithMFA("/v1/mfa/recoveryKey", token: token, json: body)
            #expect(created.status == .ok, "\(created.raw)")
            let auth = TestAuth.bearer(.sessionToken, token: account.sessionToken)
            #expect(try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth).json["exists"] as? Bool == true)
            let removed = try await server.call(.DELETE, "/v1/mfa/recoveryKey", auth: .header("Bearer \(token)"))
            #expect(removed.status == .ok, "\(removed.raw)")
            #expect(try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: auth).json["exists"] as? Bool == false)
            #expect(try await server.mailTemplates(to: user.email).contains("postRemoveAccountRecovery"))
        }
    }

    /// A key stored disabled (`enabled: false`, confirmed later with
    /// `/recoveryKey/verify`) is not offered and cannot reset; putting one
    /// in place of the usable key tells the user the account has none.
    @Test func aKeyNotYetConfirmedCannotResetAndReplacingTheUsableOneIsMailed() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let uid = try #require(Data(hex: account.uid))
            _ = try await createKey(server, account)
            let pending = RecoveryKeyClient.random()
            let replaced = try await server.call(
                .POST, "/v1/recoveryKey",
                json: ["recoveryKeyId": pending.id(uid: uid).hexString, "recoveryData": try pending.seal("{}", uid: uid),
                       "enabled": false, "replaceKey": true],
                auth: .bearer(.sessionToken, token: account.sessionToken))
            #expect(replaced.status == .ok, "\(replaced.raw)")
            #expect(try await server.mailTemplates(to: user.email).contains("postRemoveAccountRecovery"), "the user hears the key is gone")

            let forgot = try await server.passwordForgotToken(user)
            let exists = try await server.call(
                .POST, "/v1/recoveryKey/exists", json: [:], auth: .bearer(.passwordForgotToken, token: forgot.token))
            #expect(exists.json["exists"] as? Bool == false, "not offered")
            let resetAuth = TestAuth.bearer(.accountResetToken, token: try await server.accountResetToken(forgot: forgot))
            let keyID = pending.id(uid: uid).hexString
            expectError(try await server.call(.GET, "/v1/recoveryKey/\(keyID)", auth: resetAuth), .badRequest, errno: 158)
            expectError(try await server.call(.GET, "/v1/recoveryKey/not-hex", auth: resetAuth), .badRequest, errno: 107)
            let stretched = try TestUser(user.email, password: "another new password").v1()
            expectError(
                try await server.call(
                    .POST, "/v1/account/reset",
                    json: ["authPW": stretched.authPW.hexString, "wrapKb": Hex32.random().hex, "recoveryKeyId": keyID], auth: resetAuth),
                .badRequest, errno: 158)
        }
    }

    /// The whole reset as a browser does it with the key: the emailed code,
    /// the account-reset token, the encrypted keys fetched and opened, kB
    /// wrapped under the new password.
    @Test func aResetWithTheKeyKeepsKBAndSyncsKeyAndSpendsTheKey() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            let uid = try #require(AccountUID(hex: account.uid))
            let before = try #require(try await server.dependencies.stores.accounts.account(uid: uid))
            let (key, _) = try await createKey(server, account)
            server.clock.advance(by: 60)

            let forgot = try await server.passwordForgotToken(user)
            let exists = try await server.call(
                .POST, "/v1/recoveryKey/exists", json: [:], auth: .bearer(.passwordForgotToken, token: forgot.token))
            #expect(exists.json["exists"] as? Bool == true, "the reset page asks with its password-forgot token")
            let resetToken = try await server.accountResetToken(forgot: forgot, withRecoveryKey: true)
            let resetAuth = TestAuth.bearer(.accountResetToken, token: resetToken)

            let keyID = key.id(uid: Data(hex: account.uid)!).hexString
            expectError(try await server.call(.GET, "/v1/recoveryKey/\(SecureRandom.bytes(16).hexString)", auth: resetAuth), .badRequest, errno: 159)
            expectError(
                try await server.call(.GET, "/v1/recoveryKey/\(keyID)", auth: .bearer(.sessionToken, token: account.sessionToken)),
                .unauthorized, errno: 110)
            let fetched = try await server.call(.GET, "/v1/recoveryKey/\(keyID)", auth: resetAuth)
            let recovered = try key.open(try #require(fetched.string("recoveryData")), uid: Data(hex: account.uid)!)
            let kB = try #require(recovered["kB"].flatMap { Data(hex: $0) })
            #expect(kB == account.kB, "the browser opens the same kB")

            let newUser = TestUser(user.email, password: "a whole new password")
            let stretched = try newUser.v1()
            expectError(
                try await server.call(.POST, "/v1/account/reset", json: ["authPW": stretched.authPW.hexString, "recoveryKeyId": keyID],
                                      auth: resetAuth),
                .badRequest, errno: 108)
            expectError(
                try await server.call(.POST, "/v1/account/reset",
                                      json: ["authPW": stretched.authPW.hexString, "recoveryKeyId": SecureRandom.bytes(16).hexString,
                                             "wrapKb": kB.xor(stretched.unwrapBKey).hexString],
                                      auth: resetAuth),
                .badRequest, errno: 159)
            let done = try await server.call(
                .POST, "/v1/account/reset",
                json: ["authPW": stretched.authPW.hexString, "wrapKb": kB.xor(stretched.unwrapBKey).hexString, "recoveryKeyId": keyID],
                auth: resetAuth)
            #expect(done.status == .ok, "the token was not spent by the refusals: \(done.raw)")

            let after = try #require(try await server.dependencies.stores.accounts.account(uid: uid))
            #expect(try await server.login(newUser, keys: true).kB == account.kB, "kB kept")
            #expect(after.keysChangedAt == before.keysChangedAt && after.verifierSetAt > before.verifierSetAt)
            let sync = { (account: AccountRecord, kB: Data) in
                ScopedKeyDerivation.derive(
                    kB: kB, uid: account.uid.bytes, identifier: ScopedKeyDerivation.oldsync, keyRotationSecret: Data(count: 32),
                    keyRotationTimestamp: Int64(account.keysChangedAt.timeIntervalSince1970 * 1000))
            }
            #expect(sync(after, kB) == sync(before, account.kB), "Sync's key and its kid are the same")
            #expect(try await server.login(user).response.errno == 103, "the old password is gone")
            #expect(try await server.mailTemplates(to: user.email).contains("passwordResetAccountRecovery"))
            let session = try #require(try await server.login(newUser).response.string("sessionToken"))
            let gone = try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: .bearer(.sessionToken, token: session))
            #expect(gone.json["exists"] as? Bool == false, "the key is spent")
        }
    }

    @Test func aResetWithoutTheKeyReplacesKBAndDeletesTheKey() async throws {
        try await withTestServer { server in
            let user = TestUser()
            let account = try await server.signUp(user)
            _ = try await createKey(server, account)
            let newUser = TestUser(user.email, password: "another new password")
            try await server.resetPassword(user, to: newUser)
            #expect(try await server.login(newUser, keys: true).kB != account.kB, "a new kB")
            let session = try #require(try await server.login(newUser).response.string("sessionToken"))
            let gone = try await server.call(.POST, "/v1/recoveryKey/exists", json: [:], auth: .bearer(.sessionToken, token: session))
            #expect(gone.json["exists"] as? Bool == false, "it would wrap a kB the account no longer has")
        }
    }
}
