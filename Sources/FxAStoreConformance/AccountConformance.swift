import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    static func sampleAccount(_ email: String = "Alice@Example.org", v2: Bool = false) -> AccountRecord {
        let credentials = AccountRecord.Credentials(
            authSalt: SecureRandom.bytes(32), verifyHash: SecureRandom.bytes(32), wrapWrapKb: SecureRandom.bytes(32))
        return AccountRecord(
            uid: .random(), email: email, emailVerified: false, kA: SecureRandom.bytes(32), v1: credentials,
            v2: v2 ? .init(clientSalt: .random(), credentials: .init(
                authSalt: SecureRandom.bytes(32), verifyHash: SecureRandom.bytes(32), wrapWrapKb: SecureRandom.bytes(32))) : nil,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000), verifierSetAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    static func sampleToken(_ uid: AccountUID, kind: FxATokenKind = .sessionToken, at seconds: TimeInterval = 1_700_000_000) -> StoredToken {
        StoredToken(
            idHash: TokenHash.random(), kind: kind, uid: uid, wrappedKeys: SecureRandom.bytes(64),
            createdAt: Date(timeIntervalSince1970: seconds), verified: false,
            stretchVersion: kind == .keyFetchToken ? .v2 : nil)
    }

    /// ``AccountStore`` and the tables that hang off an account.
    static let accountCases: [ConformanceCase] = [
        ConformanceCase("accounts: an address typed composed or decomposed is one account") { stores in
            let tag = AccountUID.random().hex.prefix(6)
            let decomposed = "Jose\u{301}-\(tag)@Example.org"
            let composed = "jos\u{E9}-\(tag)@example.org"
            let account = sampleAccount(decomposed)
            try await stores.accounts.create(account)
            try requireEqual(Array(account.normalizedEmail.utf8), Array(composed.utf8), "the key is lowercased NFC, byte for byte")
            try requireEqual(try await stores.accounts.account(normalizedEmail: composed)?.uid, account.uid, "found by the NFC key")
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.email, decomposed, "kept as typed (the v1 salt)")
            var refused = false
            do { try await stores.accounts.create(sampleAccount(composed)) } catch FxAStoreError.conflict { refused = true }
            try require(refused, "the composed spelling is the same address")
            var fullWidth = false
            do {
                try await stores.accounts.create(sampleAccount("jos\u{E9}-\(tag)@\u{FF45}xample.org"))
            } catch FxAStoreError.conflict { fullWidth = true }
            try require(fullWidth, "a full-width domain is the same address")
        },
        ConformanceCase("accounts: a secondary address is keyed the same way, so its other spelling is taken") { stores in
            let tag = AccountUID.random().hex.prefix(6)
            let account = sampleAccount("owner-\(tag)@example.org")
            try await stores.accounts.create(account)
            let decomposed = "Rene\u{301}-\(tag)@example.org"
            let composed = "ren\u{E9}-\(tag)@example.org"
            try await stores.secondaryEmails.addSecondaryEmail(decomposed, uid: account.uid, at: Date(), limit: 3)
            try await stores.secondaryEmails.markSecondaryEmailVerified(normalizedEmail: composed, uid: account.uid)
            try requireEqual(try await stores.secondaryEmails.isVerifiedSecondaryEmail(normalizedEmail: composed), true, "verified by the key")
            try requireEqual(try await stores.accounts.account(anyVerifiedEmail: composed)?.uid, account.uid, "finds its account")
        },
        ConformanceCase("accounts: listing pages through accounts in email order") { stores in
            var created: [AccountRecord] = []
            for name in ["carol", "alice", "bob"] {
                let account = sampleAccount("\(name)-\(AccountUID.random().hex.prefix(6))@list.example")
                try await stores.accounts.create(account)
                created.append(account)
            }
            let mine = Set(created.map(\.uid))
            var seen: [AccountRecord] = []
            var after: String?
            while true {
                let page = try await stores.accounts.accounts(afterEmail: after, limit: 2)
                if page.isEmpty { break }
                try require(page.count <= 2, "page size")
                seen += page
                after = page.last?.normalizedEmail
            }
            let listed = seen.filter { mine.contains($0.uid) }.map(\.normalizedEmail)
            try requireEqual(listed, created.map(\.normalizedEmail).sorted(), "order")
            try requireEqual(seen.map(\.normalizedEmail), seen.map(\.normalizedEmail).sorted(), "global order")
        },
        ConformanceCase("accounts: a created account reads back by uid and by any case of its email") { stores in
            let account = sampleAccount(v2: true)
            try await stores.accounts.create(account)
            try requireEqual(try await stores.accounts.account(uid: account.uid), account, "by uid")
            try requireEqual(try await stores.accounts.account(normalizedEmail: "alice@example.org"), account, "by email")
            try requireEqual(try await stores.accounts.account(normalizedEmail: "bob@example.org"), nil, "unknown email")
            try requireEqual(try await stores.accounts.account(uid: .random()), nil, "unknown uid")
        },
        ConformanceCase("accounts: a second account with the same email in another case is refused") { stores in
            try await stores.accounts.create(sampleAccount("alice@example.org"))
            var refused = false
            do {
                try await stores.accounts.create(sampleAccount("ALICE@example.org"))
            } catch FxAStoreError.conflict {
                refused = true
            }
            try require(refused, "duplicate email accepted")
        },
        ConformanceCase("accounts: concurrent sign-ups with one email create exactly one account") { stores in
            let accounts = stores.accounts
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            try await accounts.create(sampleAccount("race@example.org"))
                            return true
                        } catch FxAStoreError.conflict {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            try requireEqual(created, 1, "accounts created")
        },
        ConformanceCase("accounts: verifying the email sticks and unknown uids report false") { stores in
            let account = sampleAccount()
            try await stores.accounts.create(account)
            let marked = try await stores.accounts.markEmailVerified(uid: account.uid)
            try require(marked, "known uid not marked")
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.emailVerified, true, "verified flag")
            let markedUnknown = try await stores.accounts.markEmailVerified(uid: .random())
            try require(!markedUnknown, "unknown uid marked")
        },
        ConformanceCase("accounts: replacing credentials swaps the verifier, drops every token and records the event") { stores in
            let account = sampleAccount(v2: true)
            try await stores.accounts.create(account)
            let token = sampleToken(account.uid)
            try await stores.tokens.insert(token)
            let newV1 = AccountRecord.Credentials(
                authSalt: SecureRandom.bytes(32), verifyHash: SecureRandom.bytes(32), wrapWrapKb: SecureRandom.bytes(32))
            let changedAt = Date(timeIntervalSince1970: 1_700_000_900)
            let event = OutboxEvent(uid: account.uid, kind: .passwordChange, payload: ["changeTime": .int(1_700_000_900_000)], occurredAt: changedAt)

            try await stores.accounts.replaceCredentials(uid: account.uid, v1: newV1, v2: nil, .change, at: changedAt, recording: event)

            let updated = try await stores.accounts.account(uid: account.uid)
            try requireEqual(updated?.v1, newV1, "v1 credentials")
            try requireEqual(updated?.v2, nil, "stale v2 credentials")
            try requireEqual(updated?.kA, account.kA, "kA kept")
            try requireEqual(updated?.verifierSetAt, changedAt, "verifierSetAt")
            try requireEqual(updated?.keysChangedAt, account.keysChangedAt, "a change keeps kB, so keysChangedAt stays")
            try requireEqual(try await stores.tokens.token(idHash: token.idHash), nil, "old session")
            try requireEqual(try await stores.outbox.events(uid: account.uid), [event], "outbox")

            let newKA = SecureRandom.bytes(32)
            let resetAt = Date(timeIntervalSince1970: 1_700_001_500)
            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: newV1, v2: account.v2, .reset(kA: newKA), at: resetAt,
                recording: OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: resetAt))
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.kA, newKA, "kA replaced on reset")
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.keysChangedAt, resetAt, "a reset is a new kB")
            try requireEqual(try await stores.accounts.account(uid: account.uid)?.v2, account.v2, "v2 set again")
        },
        ConformanceCase("accounts: replacing the credentials of an unknown account fails and records nothing") { stores in
            let uid = AccountUID.random()
            var failed = false
            do {
                try await stores.accounts.replaceCredentials(
                    uid: uid, v1: sampleAccount().v1, v2: nil, .change, at: Date(),
                    recording: OutboxEvent(uid: uid, kind: .passwordChange, occurredAt: Date()))
            } catch FxAStoreError.notFound {
                failed = true
            }
            try require(failed, "unknown account updated")
            try requireEqual(try await stores.outbox.events(uid: uid), [], "outbox")
        },
        ConformanceCase("accounts: deletion removes tokens and codes and records the event atomically") { stores in
            let account = sampleAccount()
            let other = sampleAccount("other@example.org")
            try await stores.accounts.create(account)
            try await stores.accounts.create(other)
            let token = sampleToken(account.uid)
            let othersToken = sampleToken(other.uid)
            try await stores.tokens.insert(token)
            try await stores.tokens.insert(othersToken)
            try await stores.codes.put(StoredCode(
                uid: account.uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: Date()))
            let event = OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date(timeIntervalSince1970: 1_700_000_500))

            try await stores.accounts.delete(uid: account.uid, recording: event)

            try requireEqual(try await stores.accounts.account(uid: account.uid), nil, "deleted account")
            try requireEqual(try await stores.tokens.token(idHash: token.idHash), nil, "deleted account's token")
            try requireEqual(try await stores.codes.code(uid: account.uid, purpose: .signupEmail), nil, "deleted account's code")
            try requireEqual(try await stores.tokens.token(idHash: othersToken.idHash), othersToken, "other account's token")
            try requireEqual(try await stores.outbox.events(uid: account.uid), [event], "outbox")
        },
    ]

    /// ``TokenStore``.
    static let tokenCases: [ConformanceCase] = [
        ConformanceCase("tokens: a token reads back by id hash with every field") { stores in
            var token = sampleToken(.random(), kind: .keyFetchToken)
            token.parentIDHash = TokenHash.random()
            token.sealedKeyBundle = SecureRandom.bytes(96)
            try await stores.tokens.insert(token)
            try requireEqual(try await stores.tokens.token(idHash: token.idHash), token, "token")
            try requireEqual(try await stores.tokens.token(idHash: TokenHash.random()), nil, "unknown id")
        },
        ConformanceCase("tokens: consuming a token returns it once, even under concurrency") { stores in
            let token = sampleToken(.random(), kind: .keyFetchToken)
            try await stores.tokens.insert(token)
            let tokensStore = stores.tokens
            let redeemed = try await withThrowingTaskGroup(of: StoredToken?.self) { group in
                for _ in 0..<6 { group.addTask { try await tokensStore.consume(idHash: token.idHash) } }
                return try await group.reduce(into: [StoredToken]()) { if let t = $1 { $0.append(t) } }
            }
            try requireEqual(redeemed, [token], "redemptions")
            try requireEqual(try await stores.tokens.token(idHash: token.idHash), nil, "after consumption")
        },
        ConformanceCase("tokens: marking verified and deleting affect only that token") { stores in
            let uid = AccountUID.random()
            let first = sampleToken(uid, at: 1)
            let second = sampleToken(uid, at: 2)
            var child = sampleToken(uid, kind: .keyFetchToken, at: 3)
            child.parentIDHash = first.idHash
            try await stores.tokens.insert(first)
            try await stores.tokens.insert(second)
            try await stores.tokens.insert(child)
            try await stores.tokens.markVerified(idHash: first.idHash, method: .totp)
            try requireEqual(try await stores.tokens.token(idHash: first.idHash)?.verified, true, "marked")
            try requireEqual(try await stores.tokens.token(idHash: first.idHash)?.verificationMethod, .totp, "with its method")
            try requireEqual(try await stores.tokens.token(idHash: child.idHash)?.verified, true, "its key-fetch token")
            try requireEqual(try await stores.tokens.token(idHash: second.idHash)?.verified, false, "unmarked")
            try await stores.tokens.delete(idHash: first.idHash)
            try requireEqual(try await stores.tokens.tokens(uid: uid, kinds: [.sessionToken]).map(\.idHash), [second.idHash], "left")
        },
        ConformanceCase("tokens: confirming an account verifies its sessions and key-fetch tokens only") { stores in
            let uid = AccountUID.random()
            let session = sampleToken(uid, kind: .sessionToken)
            let keyFetch = sampleToken(uid, kind: .keyFetchToken)
            let reset = sampleToken(uid, kind: .accountResetToken)
            let foreign = sampleToken(.random(), kind: .sessionToken)
            for token in [session, keyFetch, reset, foreign] { try await stores.tokens.insert(token) }
            try await stores.tokens.markAllVerified(uid: uid)
            try requireEqual(try await stores.tokens.token(idHash: session.idHash)?.verified, true, "session")
            try requireEqual(try await stores.tokens.token(idHash: keyFetch.idHash)?.verified, true, "key fetch")
            try requireEqual(try await stores.tokens.token(idHash: reset.idHash)?.verified, false, "reset token")
            try requireEqual(try await stores.tokens.token(idHash: foreign.idHash)?.verified, false, "other account")
        },
        ConformanceCase("tokens: forgetting the second factor touches only that account's two-step sessions") { stores in
            let uid = AccountUID.random()
            let (app, backup, email, foreign) = (sampleToken(uid), sampleToken(uid), sampleToken(uid), sampleToken(.random()))
            for token in [app, backup, email, foreign] { try await stores.tokens.insert(token) }
            try await stores.tokens.markVerified(idHash: app.idHash, method: .totp)
            try await stores.tokens.markVerified(idHash: backup.idHash, method: .recoveryCode)
            try await stores.tokens.markVerified(idHash: email.idHash, method: .email)
            try await stores.tokens.markVerified(idHash: foreign.idHash, method: .totp)
            try await stores.tokens.forgetSecondFactor(uid: uid)
            for (token, method) in [(app, SessionVerificationMethod.emailCode), (backup, .emailCode), (email, .email), (foreign, .totp)] {
                let read = try await stores.tokens.token(idHash: token.idHash)
                try requireEqual(read?.verificationMethod, method, "method")
                try requireEqual(read?.verified, true, "still verified")
            }
        },
        ConformanceCase("tokens: listing filters by account and kind, oldest first") { stores in
            let uid = AccountUID.random()
            let session = sampleToken(uid, kind: .sessionToken, at: 2)
            let keyFetch = sampleToken(uid, kind: .keyFetchToken, at: 1)
            let foreign = sampleToken(.random(), kind: .sessionToken, at: 3)
            for token in [session, keyFetch, foreign] { try await stores.tokens.insert(token) }
            try requireEqual(try await stores.tokens.tokens(uid: uid, kinds: [.sessionToken, .keyFetchToken]).map(\.idHash),
                             [keyFetch.idHash, session.idHash], "both kinds")
            try requireEqual(try await stores.tokens.tokens(uid: uid, kinds: [.sessionToken]).map(\.idHash), [session.idHash], "sessions")
        },
    ]

    /// ``CodeStore``.
    static let codeCases: [ConformanceCase] = [
        ConformanceCase("codes: a new code replaces the previous one for the same purpose") { stores in
            let uid = AccountUID.random()
            let first = StoredCode(uid: uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: Date(timeIntervalSince1970: 10))
            let second = StoredCode(uid: uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: Date(timeIntervalSince1970: 20))
            let other = StoredCode(uid: uid, purpose: .passwordForgot, codeHash: TokenHash.random(), expiresAt: Date(timeIntervalSince1970: 30))
            try await stores.codes.put(first)
            try await stores.codes.put(other)
            try await stores.codes.put(second)
            try requireEqual(try await stores.codes.code(uid: uid, purpose: .signupEmail), second, "signup code")
            try requireEqual(try await stores.codes.code(uid: uid, purpose: .passwordForgot), other, "forgot code")
        },
        ConformanceCase("codes: failed attempts count up and deletion removes the code") { stores in
            let uid = AccountUID.random()
            try await stores.codes.put(StoredCode(uid: uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: Date()))
            try requireEqual(try await stores.codes.recordFailedAttempt(uid: uid, purpose: .signupEmail), 1, "first")
            try requireEqual(try await stores.codes.recordFailedAttempt(uid: uid, purpose: .signupEmail), 2, "second")
            try await stores.codes.delete(uid: uid, purpose: .signupEmail)
            try requireEqual(try await stores.codes.code(uid: uid, purpose: .signupEmail), nil, "deleted")
            try requireEqual(try await stores.codes.recordFailedAttempt(uid: uid, purpose: .signupEmail), 0, "no code")
        },
        ConformanceCase("codes: attempts are reserved before a guess is compared, never past the limit") { stores in
            let uid = AccountUID.random()
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let code = StoredCode(uid: uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: now.addingTimeInterval(60))
            try await stores.codes.put(code)
            let codesStore = stores.codes
            let reserved = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await codesStore.reserveAttempt(uid: uid, purpose: .signupEmail, limit: 5, now: now)?.failedAttempts
                    }
                }
                return try await group.reduce(into: [Int]()) { if let count = $1 { $0.append(count) } }
            }
            try requireEqual(reserved.sorted(), [1, 2, 3, 4, 5], "five of eight concurrent guesses, each counted once")
            try requireEqual(try await stores.codes.reserveAttempt(uid: uid, purpose: .signupEmail, limit: 5, now: now), nil, "used up")
            let fresh = StoredCode(uid: uid, purpose: .signupEmail, codeHash: TokenHash.random(), expiresAt: now.addingTimeInterval(60))
            try await stores.codes.put(fresh)
            try requireEqual(
                try await stores.codes.reserveAttempt(uid: uid, purpose: .signupEmail, limit: 5, now: now)?.codeHash, fresh.codeHash,
                "a new code starts again")
            try requireEqual(
                try await stores.codes.reserveAttempt(uid: uid, purpose: .signupEmail, limit: 5, now: now.addingTimeInterval(61)), nil,
                "expired")
        },
        ConformanceCase("codes: a code is consumed once, and only while it is the current one") { stores in
            let uid = AccountUID.random()
            let first = StoredCode(uid: uid, purpose: .accountChange, codeHash: TokenHash.random(), expiresAt: Date())
            try await stores.codes.put(first)
            let second = StoredCode(uid: uid, purpose: .accountChange, codeHash: TokenHash.random(), expiresAt: Date())
            try await stores.codes.put(second)
            try requireEqual(
                try await stores.codes.consume(uid: uid, purpose: .accountChange, codeHash: first.codeHash), false, "a replaced code")
            let codesStore = stores.codes
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await codesStore.consume(uid: uid, purpose: .accountChange, codeHash: second.codeHash) }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            try requireEqual(outcomes.filter { $0 }.count, 1, "one of four concurrent redemptions")
            try requireEqual(try await stores.codes.code(uid: uid, purpose: .accountChange), nil, "gone")
        },
    ]

    /// ``MailboxStore``.
    static let mailboxCases: [ConformanceCase] = [
        ConformanceCase("mailbox: messages come back per local part, newest first, and clear") { stores in
            let older = MailMessage(to: "Alice@example.org", subject: "one", headers: ["X-Verify-Code": "1"], text: "a",
                                    sentAt: Date(timeIntervalSince1970: 100))
            let newer = MailMessage(to: "alice@example.org", subject: "two", headers: ["X-Uid": "u"], text: "b",
                                    sentAt: Date(timeIntervalSince1970: 200))
            let other = MailMessage(to: "bob@example.org", subject: "x", headers: [:], text: "c", sentAt: Date(timeIntervalSince1970: 150))
            for message in [older, newer, other] { try await stores.mailbox.deliver(message) }
            try requireEqual(try await stores.mailbox.messages(mailbox: "alice"), [newer, older], "alice's mail")
            try requireEqual(try await stores.mailbox.recent(limit: 2), [newer, other], "recent")
            try await stores.mailbox.clear(mailbox: "ALICE")
            try requireEqual(try await stores.mailbox.messages(mailbox: "alice"), [], "after clear")
            try requireEqual(try await stores.mailbox.messages(mailbox: "bob"), [other], "bob's mail")
        },
    ]
}
