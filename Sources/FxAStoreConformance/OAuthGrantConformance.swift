import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    static func sampleCode(client: OAuthClientID = .random(), uid: AccountUID = .random()) -> OAuthCodeRecord {
        OAuthCodeRecord(
            codeHash: TokenHash.random(), clientID: client, uid: uid,
            scope: OAuthScopeSet(parsing: "profile openid https://identity.mozilla.com/apps/oldsync")!,
            redirectURI: "https://rp.example/cb", codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            nonce: "n-0S6_WzA2Mj", offline: true, authAt: Date(timeIntervalSince1970: 1_700_000_000),
            amr: ["pwd", "email"], aal: 1, keysJWE: "eyJhbGciOiJFQ0RILUVTIn0..x.y.z",
            createdAt: Date(timeIntervalSince1970: 1_700_000_010))
    }

    static func sampleOAuthToken(
        _ kind: OAuthTokenRecord.Kind, client: OAuthClientID = .random(), uid: AccountUID = .random(),
        parent: TokenHash? = nil, grant: TokenHash? = nil, created: TimeInterval = 1_700_000_000
    ) -> OAuthTokenRecord {
        OAuthTokenRecord(
            tokenHash: TokenHash.random(), kind: kind, clientID: client, uid: uid,
            scope: OAuthScopeSet(parsing: "profile")!, createdAt: Date(timeIntervalSince1970: created),
            expiresAt: kind == .access ? Date(timeIntervalSince1970: created + 3600) : nil,
            lastUsedAt: Date(timeIntervalSince1970: created), parentHash: parent, grantCodeHash: grant,
            authAt: Date(timeIntervalSince1970: created))
    }

    /// ``OAuthGrantStore``.
    static let oauthGrantCases: [ConformanceCase] = [
        ConformanceCase("oauth codes: a code is redeemed once, even under concurrency, then seen as replayed") { stores in
            let code = sampleCode()
            try await stores.oauthGrants.insertCode(code)
            let grants = stores.oauthGrants
            let outcomes = try await withThrowingTaskGroup(of: OAuthCodeRedemption.self) { group in
                for _ in 0..<6 { group.addTask { try await grants.redeemCode(hash: code.codeHash, at: Date(timeIntervalSince1970: 1_700_000_020)) } }
                return try await group.reduce(into: [OAuthCodeRedemption]()) { $0.append($1) }
            }
            let redeemed = outcomes.compactMap { if case let .redeemed(record) = $0 { record } else { nil } }
            try requireEqual(redeemed.count, 1, "exactly one redemption")
            var expected = code
            expected.usedAt = Date(timeIntervalSince1970: 1_700_000_020)
            try requireEqual(redeemed.first, expected, "the record, every field")
            try require(outcomes.filter { if case .replayed = $0 { true } else { false } }.count == 5, "the rest are replays")
            try requireEqual(try await grants.redeemCode(hash: TokenHash.random(), at: Date()), .unknown, "unknown")
        },
        ConformanceCase("oauth codes: a redemption stores the tokens it issues; a refused one burns the code and stores nothing") { stores in
            let grants = stores.oauthGrants
            let code = sampleCode()
            try await grants.insertCode(code)
            let access = sampleOAuthToken(.access, client: code.clientID, uid: code.uid, grant: code.codeHash)
            let refresh = sampleOAuthToken(.refresh, client: code.clientID, uid: code.uid, grant: code.codeHash)
            let outcome = try await grants.redeemCode(hash: code.codeHash, at: Date(timeIntervalSince1970: 1_700_000_020)) { record in
                record.clientID == code.clientID ? [access, refresh] : []
            }
            guard case .redeemed = outcome else { throw ConformanceFailure(description: "redeemed, got \(outcome)") }
            try requireEqual(try await grants.token(hash: access.tokenHash), access, "access token stored with the redemption")
            try requireEqual(try await grants.token(hash: refresh.tokenHash), refresh, "refresh token stored with the redemption")

            struct Refused: Error {}
            let refused = sampleCode()
            try await grants.insertCode(refused)
            let unstored = sampleOAuthToken(.access, client: refused.clientID, uid: refused.uid)
            do {
                _ = try await grants.redeemCode(hash: refused.codeHash, at: Date()) { _ in
                    _ = unstored
                    throw Refused()
                }
                throw ConformanceFailure(description: "the refusal was not rethrown")
            } catch is Refused {}
            try requireEqual(try await grants.token(hash: unstored.tokenHash), nil, "nothing stored")
            guard case .replayed = try await grants.redeemCode(hash: refused.codeHash, at: Date()) else {
                throw ConformanceFailure(description: "a refused code stays used")
            }
        },
        ConformanceCase("oauth tokens: read back; destroying a refresh token takes its access tokens and its exchange's") { stores in
            let code = TokenHash.random()
            let refresh = sampleOAuthToken(.refresh, grant: code)
            let sibling = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, grant: code)
            let child = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, parent: refresh.tokenHash)
            let other = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid)
            let otherExchange = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, grant: TokenHash.random())
            for token in [refresh, sibling, child, other, otherExchange] { try await stores.oauthGrants.insertToken(token) }
            try requireEqual(try await stores.oauthGrants.token(hash: child.tokenHash), child, "child, every field")
            try requireEqual(try await stores.oauthGrants.deleteToken(hash: sibling.tokenHash), true, "an access token, deleted")
            try requireEqual(try await stores.oauthGrants.token(hash: refresh.tokenHash), refresh, "deleting an access token keeps the refresh token")
            try await stores.oauthGrants.insertToken(sibling)
            try requireEqual(try await stores.oauthGrants.deleteToken(hash: refresh.tokenHash), true, "deleted")
            try requireEqual(try await stores.oauthGrants.token(hash: child.tokenHash), nil, "child gone")
            try requireEqual(try await stores.oauthGrants.token(hash: sibling.tokenHash), nil, "issued in the same exchange: gone")
            try requireEqual(try await stores.oauthGrants.token(hash: other.tokenHash), other, "unrelated kept")
            try requireEqual(try await stores.oauthGrants.token(hash: otherExchange.tokenHash), otherExchange, "another exchange kept")
            try requireEqual(try await stores.oauthGrants.deleteToken(hash: refresh.tokenHash), false, "second delete")
        },
        ConformanceCase("oauth tokens: a password change ends public clients' tokens and pending codes; a reset ends all") { stores in
            let account = sampleAccount("grants-\(AccountUID.random().hex.prefix(8))@example.org")
            let bystander = sampleAccount("bystander-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            try await stores.accounts.create(bystander)
            let publicClient = sampleClient(name: "public", publicClient: true)
            let confidential = sampleClient(name: "confidential")
            try await stores.oauthClients.create(publicClient)
            try await stores.oauthClients.create(confidential)
            let grants = stores.oauthGrants
            let publicRefresh = sampleOAuthToken(.refresh, client: publicClient.id, uid: account.uid)
            let publicAccess = sampleOAuthToken(.access, client: publicClient.id, uid: account.uid)
            let orphan = sampleOAuthToken(.access, client: .random(), uid: account.uid)
            let kept = [
                sampleOAuthToken(.refresh, client: confidential.id, uid: account.uid),
                sampleOAuthToken(.access, client: confidential.id, uid: account.uid),
            ]
            let bystanders = [sampleOAuthToken(.refresh, client: publicClient.id, uid: bystander.uid)]
            for token in [publicRefresh, publicAccess, orphan] + kept + bystanders { try await grants.insertToken(token) }
            let pending = sampleCode(client: confidential.id, uid: account.uid)
            let used = sampleCode(client: confidential.id, uid: account.uid)
            let bystandersCode = sampleCode(client: publicClient.id, uid: bystander.uid)
            for code in [pending, used, bystandersCode] { try await grants.insertCode(code) }
            _ = try await grants.redeemCode(hash: used.codeHash, at: Date(timeIntervalSince1970: 1_700_000_020))

            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: account.v1, v2: nil, .change, at: Date(timeIntervalSince1970: 1_700_000_500),
                recording: OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: Date(timeIntervalSince1970: 1_700_000_500)))
            for token in [publicRefresh, publicAccess, orphan] {
                try requireEqual(try await grants.token(hash: token.tokenHash), nil, "change: \(token.kind) of a public or unknown client ended")
            }
            for token in kept + bystanders {
                try requireEqual(try await grants.token(hash: token.tokenHash), token, "change: confidential client's \(token.kind) kept")
            }
            try requireEqual(try await grants.redeemCode(hash: pending.codeHash, at: Date()), .unknown, "change: pending code ended")
            guard case .replayed = try await grants.redeemCode(hash: used.codeHash, at: Date()) else {
                throw ConformanceFailure(description: "change: a used code stays, so its replay is still recognised")
            }

            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: account.v1, v2: nil, .reset(kA: SecureRandom.bytes(32)), at: Date(timeIntervalSince1970: 1_700_000_600),
                recording: OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: Date(timeIntervalSince1970: 1_700_000_600)))
            try requireEqual(try await grants.tokens(uid: account.uid), [], "reset: every token ended")
            try requireEqual(try await grants.redeemCode(hash: used.codeHash, at: Date()), .unknown, "reset: every code ended")
            try requireEqual(try await grants.tokens(uid: bystander.uid), bystanders, "another account's tokens kept")
            if case .redeemed = try await grants.redeemCode(hash: bystandersCode.codeHash, at: Date()) {} else {
                throw ConformanceFailure(description: "another account's code was ended")
            }
        },
        ConformanceCase("oauth tokens: a replayed code revokes everything it issued") { stores in
            let code = TokenHash.random()
            let refresh = sampleOAuthToken(.refresh, grant: code)
            let access = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, grant: code)
            let minted = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, parent: refresh.tokenHash)
            let unrelated = sampleOAuthToken(.access, client: refresh.clientID, uid: refresh.uid, grant: TokenHash.random())
            for token in [refresh, access, minted, unrelated] { try await stores.oauthGrants.insertToken(token) }
            try await stores.oauthGrants.deleteTokens(grantCodeHash: code)
            for token in [refresh, access, minted] {
                try requireEqual(try await stores.oauthGrants.token(hash: token.tokenHash), nil, "\(token.kind) revoked")
            }
            try requireEqual(try await stores.oauthGrants.token(hash: unrelated.tokenHash), unrelated, "unrelated kept")
        },
        ConformanceCase("oauth tokens: listing, per-client revocation, touch and purge") { stores in
            let uid = AccountUID.random()
            let clientA = OAuthClientID.random()
            let clientB = OAuthClientID.random()
            let a1 = sampleOAuthToken(.refresh, client: clientA, uid: uid, created: 1_700_000_001)
            let a2 = sampleOAuthToken(.access, client: clientA, uid: uid, created: 1_700_000_002)
            let b1 = sampleOAuthToken(.access, client: clientB, uid: uid, created: 1_700_000_003)
            let foreign = sampleOAuthToken(.access, client: clientA)
            for token in [a1, a2, b1, foreign] { try await stores.oauthGrants.insertToken(token) }
            try requireEqual(try await stores.oauthGrants.tokens(uid: uid).map(\.tokenHash), [a1, a2, b1].map(\.tokenHash), "listed")
            try await stores.oauthGrants.touchToken(hash: a1.tokenHash, at: Date(timeIntervalSince1970: 1_800_000_000))
            try requireEqual(try await stores.oauthGrants.token(hash: a1.tokenHash)?.lastUsedAt,
                             Date(timeIntervalSince1970: 1_800_000_000), "touched")
            let pendingA = sampleCode(client: clientA, uid: uid)
            let pendingB = sampleCode(client: clientB, uid: uid)
            for code in [pendingA, pendingB] { try await stores.oauthGrants.insertCode(code) }
            try await stores.oauthGrants.disconnect(uid: uid, clientID: clientA, refreshTokenHash: nil, at: Date())
            try requireEqual(try await stores.oauthGrants.tokens(uid: uid).map(\.tokenHash), [b1.tokenHash], "client A revoked")
            try requireEqual(
                try await stores.oauthGrants.redeemCode(hash: pendingA.codeHash, at: Date()), .unknown, "client A's pending code revoked")
            if case .redeemed = try await stores.oauthGrants.redeemCode(hash: pendingB.codeHash, at: Date()) {} else {
                throw ConformanceFailure(description: "client B's pending code was revoked too")
            }
            try requireEqual(try await stores.oauthGrants.token(hash: foreign.tokenHash), foreign, "other account kept")

            let code = sampleCode(uid: uid)
            try await stores.oauthGrants.insertCode(code)
            try await stores.oauthGrants.purgeExpired(
                codesBefore: Date(timeIntervalSince1970: 1_700_000_011), tokensBefore: Date(timeIntervalSince1970: 1_700_003_604))
            try requireEqual(try await stores.oauthGrants.redeemCode(hash: code.codeHash, at: Date()), .unknown, "old code purged")
            try requireEqual(try await stores.oauthGrants.token(hash: b1.tokenHash), nil, "expired access token purged")
        },
    ]
}
