import Crypto
import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// A web session on a fresh session token of a fresh account.
    static func webSessionFixture(_ stores: Stores, at date: Date = Date(timeIntervalSince1970: 1_700_000_000)) async throws
        -> (AccountRecord, StoredToken, WebSession) {
        let account = sampleAccount("web-\(AccountUID.random().hex.prefix(8))@example.org")
        try await stores.accounts.create(account)
        let token = sampleToken(account.uid)
        try await stores.tokens.insert(token)
        let session = WebSession(idHash: TokenHash.random(), tokenIDHash: token.idHash, uid: account.uid, createdAt: date)
        try await stores.webSessions.insert(session)
        return (account, token, session)
    }

    /// ``WebSessionStore``.
    static let webSessionCases: [ConformanceCase] = [
        ConformanceCase("web sessions: found with their session token, never by another id") { stores in
            let (_, token, session) = try await webSessionFixture(stores)
            let found = try await stores.webSessions.session(idHash: session.idHash)
            try requireEqual(found?.session, session, "session")
            try requireEqual(found?.token.idHash, token.idHash, "its token")
            try requireEqual(try await stores.webSessions.session(idHash: TokenHash.random())?.session, nil, "unknown id")
        },
        ConformanceCase("web sessions: end with their session token (password change, reset, deletion)") { stores in
            let (account, _, session) = try await webSessionFixture(stores)
            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: account.v1, v2: nil, .change, at: Date(),
                recording: OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: Date()))
            try requireEqual(try await stores.webSessions.session(idHash: session.idHash)?.session, nil, "token gone, session gone")
            let (other, _, second) = try await webSessionFixture(stores)
            try await stores.accounts.delete(uid: other.uid, recording: OutboxEvent(uid: other.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.webSessions.session(idHash: second.idHash)?.session, nil, "account deleted")
        },
        ConformanceCase("web sessions: signing out deletes the session and its session token") { stores in
            let (_, token, session) = try await webSessionFixture(stores)
            try await stores.webSessions.signOut(idHash: session.idHash)
            try requireEqual(try await stores.webSessions.session(idHash: session.idHash)?.session, nil, "session")
            try requireEqual(try await stores.tokens.token(idHash: token.idHash), nil, "token")
        },
        ConformanceCase("web sessions: a shared token outlives its web session when it is forgotten or swept") { stores in
            let account = sampleAccount("shared-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let firefoxToken = sampleToken(account.uid)
            try await stores.tokens.insert(firefoxToken)
            let old = WebSession(
                idHash: TokenHash.random(), tokenIDHash: firefoxToken.idHash, uid: account.uid,
                createdAt: Date(timeIntervalSince1970: 1_600_000_000), sharesToken: true)
            try await stores.webSessions.insert(old)
            try requireEqual(try await stores.webSessions.session(idHash: old.idHash)?.session, old, "stored with its flag")
            _ = try await stores.webSessions.deleteExpired(createdBefore: Date(timeIntervalSince1970: 1_700_000_000))
            try requireEqual(try await stores.webSessions.session(idHash: old.idHash)?.session, nil, "swept")
            let kept = try await stores.tokens.token(idHash: firefoxToken.idHash)
            try require(kept != nil, "Firefox's token stays")
            let fresh = WebSession(
                idHash: TokenHash.random(), tokenIDHash: firefoxToken.idHash, uid: account.uid, createdAt: Date(), sharesToken: true)
            try await stores.webSessions.insert(fresh)
            try await stores.webSessions.forget(idHash: fresh.idHash)
            try requireEqual(try await stores.webSessions.session(idHash: fresh.idHash)?.session, nil, "forgotten")
            let stillThere = try await stores.tokens.token(idHash: firefoxToken.idHash)
            try require(stillThere != nil, "and the token still stays")
        },
        ConformanceCase("web sessions: the sweep removes old and orphaned sessions only") { stores in
            let (_, oldToken, old) = try await webSessionFixture(stores, at: Date(timeIntervalSince1970: 1_600_000_000))
            let (_, orphanToken, orphan) = try await webSessionFixture(stores)
            try await stores.tokens.delete(idHash: orphanToken.idHash)
            let (_, _, fresh) = try await webSessionFixture(stores, at: Date(timeIntervalSince1970: 1_800_000_000))
            let removed = try await stores.webSessions.deleteExpired(createdBefore: Date(timeIntervalSince1970: 1_700_000_000))
            try require(removed >= 2, "old and orphan removed")
            try requireEqual(try await stores.webSessions.session(idHash: old.idHash)?.session, nil, "old")
            try requireEqual(try await stores.tokens.token(idHash: oldToken.idHash), nil, "an old session's token goes too")
            try requireEqual(try await stores.webSessions.session(idHash: orphan.idHash)?.session, nil, "orphan")
            let kept = try await stores.webSessions.session(idHash: fresh.idHash)
            try require(kept != nil, "fresh kept")
        },
    ]
}
