import FxACore
import FxAStore
import Foundation
import FluentSQL

extension StoreConformance {
    static func pendingTOTP(_ uid: AccountUID, _ enrollment: TOTPEnrollment = .setup) -> TOTPRecord {
        TOTPRecord(
            uid: uid, secret: Data(SecureRandom.bytes(20)), enrollment: enrollment,
            createdAt: Date(timeIntervalSince1970: 1_700_000_000), setupSessionHash: TokenHash.random())
    }

    /// ``TOTPStore``.
    static let totpCases: [ConformanceCase] = [
        ConformanceCase("totp: a pending secret is replaced by a new setup, an enabled one is not") { stores in
            let uid = AccountUID.random()
            try requireEqual(try await stores.totp.totp(uid: uid), nil, "none yet")
            let first = pendingTOTP(uid)
            try requireEqual(try await stores.totp.savePending(first), true, "first setup stored")
            try requireEqual(try await stores.totp.totp(uid: uid), first, "read back")
            let second = pendingTOTP(uid, .firstCode)
            try requireEqual(try await stores.totp.savePending(second), true, "a pending setup is replaced")
            try requireEqual(try await stores.totp.totp(uid: uid), second, "the new one")
            try requireEqual(try await stores.totp.enable(uid: uid, secret: second.secret, at: Date(), usedStep: 7, recording: nil), true, "enabled")
            try requireEqual(try await stores.totp.savePending(pendingTOTP(uid)), false, "an enabled secret is not replaced")
            let enabled = try await stores.totp.totp(uid: uid)
            try requireEqual(enabled?.secret, second.secret, "still the enabled secret")
            try requireEqual(enabled?.lastUsedStep, 7, "its first code spent")
            try require(enabled?.isEnabled == true, "enabled")
        },
        ConformanceCase("totp: only the pending secret with the same bytes is verified and enabled") { stores in
            let uid = AccountUID.random()
            let pending = pendingTOTP(uid)
            _ = try await stores.totp.savePending(pending)
            let other = Data(SecureRandom.bytes(20))
            try requireEqual(try await stores.totp.markSetupVerified(uid: uid, secret: other, step: 1, at: Date()), false, "other bytes")
            try requireEqual(try await stores.totp.enable(uid: uid, secret: other, at: Date(), usedStep: nil, recording: nil), false, "other bytes")
            let now = Date(timeIntervalSince1970: 1_700_000_100)
            try requireEqual(try await stores.totp.markSetupVerified(uid: uid, secret: pending.secret, step: 5, at: now), true, "verified")
            try requireEqual(try await stores.totp.totp(uid: uid)?.setupVerifiedAt, now, "when")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lastUsedStep, 5, "its code spent")
            try requireEqual(try await stores.totp.enable(uid: uid, secret: pending.secret, at: now, usedStep: nil, recording: nil), true, "enabled")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lastUsedStep, 5, "the setup's step stays spent")
            try requireEqual(try await stores.totp.enable(uid: uid, secret: pending.secret, at: now, usedStep: nil, recording: nil), false, "once")
            try requireEqual(try await stores.totp.markSetupVerified(uid: uid, secret: pending.secret, step: 5, at: now), false, "no longer pending")
            try requireEqual(try await stores.totp.enable(uid: .random(), secret: pending.secret, at: now, usedStep: nil, recording: nil), false, "other account")
        },
        ConformanceCase("totp: a step is spent once, and no older step after it") { stores in
            let uid = AccountUID.random()
            let pending = pendingTOTP(uid)
            _ = try await stores.totp.savePending(pending)
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100, at: Date()), false, "a pending secret spends nothing")
            _ = try await stores.totp.enable(uid: uid, secret: pending.secret, at: Date(), usedStep: nil, recording: nil)
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100, at: Date()), true, "first use")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100, at: Date()), false, "the same step again")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 99, at: Date()), false, "an older step")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 101, at: Date()), true, "the next step")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lastUsedStep, 101, "recorded")
            // Two requests with the same code at once: exactly one passes.
            async let first = stores.totp.spend(uid: uid, step: 102, at: Date())
            async let second = stores.totp.spend(uid: uid, step: 102, at: Date())
            let outcomes = try await [first, second]
            try requireEqual(outcomes.filter { $0 }.count, 1, "one of two concurrent uses")
        },
        ConformanceCase("totp: attempts are counted before the code is checked, and a lock refuses them until it ends") { stores in
            let uid = AccountUID.random()
            let pending = pendingTOTP(uid)
            _ = try await stores.totp.savePending(pending)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let ends = [now.addingTimeInterval(900), now.addingTimeInterval(1800)]
            let reserve = { (date: Date) in try await stores.totp.reserveCodeAttempt(uid: uid, at: date, lockEvery: 3, lockEnds: ends) }
            try requireEqual(try await reserve(now), nil, "a pending secret takes no attempt")
            _ = try await stores.totp.enable(uid: uid, secret: pending.secret, at: now, usedStep: nil, recording: nil)
            try requireEqual(try await reserve(now), 1, "first")
            try requireEqual(try await reserve(now), 2, "second")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 10, at: now), true, "a good code")
            let cleared = try await stores.totp.totp(uid: uid)
            try requireEqual(cleared?.failedCodes, 0, "clears the count")
            try requireEqual(try await reserve(now), 1, "counting again")
            try requireEqual(try await reserve(now), 2, "")
            try requireEqual(try await reserve(now), 3, "the third locks")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lockedUntil, ends[0], "until the first end")
            try requireEqual(try await reserve(now.addingTimeInterval(899)), nil, "refused while locked, and not counted")
            try requireEqual(try await stores.totp.totp(uid: uid)?.failedCodes, 3, "still three")
            let later = now.addingTimeInterval(900)
            try requireEqual(try await reserve(later), 4, "the lock ended")
            try requireEqual(try await reserve(later), 5, "")
            try requireEqual(try await reserve(later), 6, "the second lock")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lockedUntil, ends[1], "until the second end")
            // Many at once while unlocked: each takes its own count, and
            // none is admitted past the lock one of them sets.
            let afterSecond = now.addingTimeInterval(1800)
            let laterEnds = [afterSecond.addingTimeInterval(900), afterSecond.addingTimeInterval(1800)]
            let totpStore = stores.totp
            let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await totpStore.reserveCodeAttempt(uid: uid, at: afterSecond, lockEvery: 3, lockEnds: laterEnds) }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            try requireEqual(counts.compactMap { $0 }.sorted(), [7, 8, 9], "three admitted, the third locking the rest out")
            // A good code clears the lock it may have set itself.
            try requireEqual(try await stores.totp.spend(uid: uid, step: 11, at: afterSecond), true, "a good code")
            let open = try await stores.totp.totp(uid: uid)
            try requireEqual(open?.lockedUntil, nil, "no lock")
            try requireEqual(open?.failedCodes, 0, "no count")
            // A new setup after turning it off starts clean.
            _ = try await stores.totp.delete(uid: uid, recording: nil)
            _ = try await stores.totp.savePending(pendingTOTP(uid))
            let fresh = try await stores.totp.totp(uid: uid)
            try requireEqual(fresh?.failedCodes, 0, "no count")
            try requireEqual(fresh?.lockedUntil, nil, "no lock")
        },
        ConformanceCase("totp: a row this version cannot read is an error, never \"off\"") { stores in
            let uid = AccountUID.random()
            let pending = pendingTOTP(uid)
            _ = try await stores.totp.savePending(pending)
            _ = try await stores.totp.enable(uid: uid, secret: pending.secret, at: Date(), usedStep: nil, recording: nil)
            let sql = try stores.database.handle() as! any SQLDatabase
            try await sql.raw("UPDATE totp_secrets SET enrollment = 'from-a-newer-version' WHERE uid = \(bind: uid.hex)").run()
            do {
                _ = try await stores.totp.isEnabled(uid: uid)
                try require(false, "an unreadable secret was read as off")
            } catch FxAStoreError.unreadableRow(let table) {
                try requireEqual(table, "totp_secrets", "names its table")
            }
        },
        ConformanceCase("totp: deleted on request and with its account") { stores in
            let account = sampleAccount("totp-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let pending = pendingTOTP(account.uid)
            _ = try await stores.totp.savePending(pending)
            let event = { OutboxEvent(uid: account.uid, kind: .profileChange, occurredAt: Date()) }
            try requireEqual(try await stores.totp.delete(uid: account.uid, recording: event()), false, "a pending one was not enabled")
            try requireEqual(try await stores.totp.totp(uid: account.uid), nil, "but is gone")
            try requireEqual(try await stores.outbox.events(uid: account.uid).count, 0, "no event for a pending one")
            _ = try await stores.totp.savePending(pending)
            _ = try await stores.totp.enable(uid: account.uid, secret: pending.secret, at: Date(), usedStep: nil, recording: event())
            try requireEqual(try await stores.outbox.events(uid: account.uid).map(\.kind), [.profileChange], "enabling recorded")
            try requireEqual(try await stores.totp.delete(uid: account.uid, recording: event()), true, "an enabled one deleted")
            try requireEqual(try await stores.outbox.events(uid: account.uid).count, 2, "deleting recorded")
            _ = try await stores.totp.savePending(pendingTOTP(account.uid))
            try await stores.accounts.delete(uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.totp.totp(uid: account.uid), nil, "gone with the account")
        },
    ]
}
