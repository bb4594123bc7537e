import FxACore
@testable import FxAServer
import FxAStore
import Foundation
import Testing

@Suite("Expired OAuth grants")
struct ExpiredGrantSweeperTests {
    @Test func aSweepDropsExpiredCodesAndTokensAndKeepsLiveOnes() async throws {
        try await withTestServer { server in
            let grants = server.dependencies.stores.oauthGrants
            let now = server.clock.now()
            func code(age: TimeInterval) -> OAuthCodeRecord {
                OAuthCodeRecord(
                    codeHash: TokenHash.random(), clientID: .random(), uid: .random(), scope: OAuthScopeSet(parsing: "profile")!,
                    redirectURI: nil, codeChallenge: nil, nonce: nil, offline: false, authAt: now, amr: ["pwd"], aal: 1,
                    keysJWE: nil, createdAt: now.addingTimeInterval(-age))
            }
            func token(_ kind: OAuthTokenRecord.Kind, expiresIn: TimeInterval?) -> OAuthTokenRecord {
                OAuthTokenRecord(
                    tokenHash: TokenHash.random(), kind: kind, clientID: .random(), uid: .random(),
                    scope: OAuthScopeSet(parsing: "profile")!, createdAt: now.addingTimeInterval(-7200),
                    expiresAt: expiresIn.map { now.addingTimeInterval($0) }, lastUsedAt: now)
            }
            let oldCode = code(age: 16 * 60)
            let liveCode = code(age: 60)
            let expired = token(.access, expiresIn: -1)
            let live = token(.access, expiresIn: 600)
            let refresh = token(.refresh, expiresIn: nil)
            for item in [oldCode, liveCode] { try await grants.insertCode(item) }
            for item in [expired, live, refresh] { try await grants.insertToken(item) }

            try await ExpiredGrantSweeper(grants: grants, clock: server.clock).sweep()

            #expect(try await grants.redeemCode(hash: oldCode.codeHash, at: now) == .unknown)
            #expect(try await grants.token(hash: expired.tokenHash) == nil)
            #expect(try await grants.token(hash: live.tokenHash)?.tokenHash == live.tokenHash)
            #expect(try await grants.token(hash: refresh.tokenHash)?.tokenHash == refresh.tokenHash)
            if case .redeemed = try await grants.redeemCode(hash: liveCode.codeHash, at: now) {} else {
                Issue.record("the live code was swept")
            }
        }
    }
}
