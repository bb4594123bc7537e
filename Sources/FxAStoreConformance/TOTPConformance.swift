import FxACore
import FxAStore
import Foundation

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
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100), false, "a pending secret spends nothing")
            _ = try await stores.totp.enable(uid: uid, secret: pending.secret, at: Date(), usedStep: nil, recording: nil)
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100), true, "first use")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 100), false, "the same step again")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 99), false, "an older step")
            try requireEqual(try await stores.totp.spend(uid: uid, step: 101), true, "the next step")
            try requireEqual(try await stores.totp.totp(uid: uid)?.lastUsedStep, 101, "recorded")
            // Two requests with the same code at once: exactly one passes.
            async let first = stores.totp.spend(uid: uid, step: 102)
            async let second = stores.totp.spend(uid: uid, step: 102)
            let outcomes = try await [first, second]
            try requireEqual(outcomes.filter { $0 }.count, 1, "one of two concurrent uses")
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
