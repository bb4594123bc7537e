import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    static func sampleRecoveryKey(_ uid: AccountUID, enabled: Bool = true) -> RecoveryKeyRecord {
        RecoveryKeyRecord(
            uid: uid, idHash: TokenHash.random(), recoveryData: "eyJhbGciOiJkaXIifQ..iv.data.tag",
            createdAt: Date(timeIntervalSince1970: 1_700_000_000), enabled: enabled)
    }

    /// ``RecoveryKeyStore``.
    static let recoveryKeyCases: [ConformanceCase] = [
        ConformanceCase("recovery keys: an enabled key is replaced only when asked, a disabled one always") { stores in
            let uid = AccountUID.random()
            let pending = sampleRecoveryKey(uid, enabled: false)
            try requireEqual(try await stores.recoveryKeys.save(pending, replacing: false), true, "first")
            let enabled = sampleRecoveryKey(uid)
            try requireEqual(try await stores.recoveryKeys.save(enabled, replacing: false), true, "a disabled key is replaced")
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: uid), enabled, "read back")
            let other = sampleRecoveryKey(uid)
            try requireEqual(try await stores.recoveryKeys.save(other, replacing: false), false, "an enabled key stays")
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: uid)?.idHash, enabled.idHash, "unchanged")
            try requireEqual(try await stores.recoveryKeys.save(other, replacing: true), true, "replaced when asked")
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: uid)?.idHash, other.idHash, "the new one")
        },
        ConformanceCase("recovery keys: enabled by its own fingerprint, hinted only when enabled, deleted") { stores in
            let uid = AccountUID.random()
            let pending = sampleRecoveryKey(uid, enabled: false)
            _ = try await stores.recoveryKeys.save(pending, replacing: false)
            try requireEqual(try await stores.recoveryKeys.setHint("drawer", uid: uid), false, "no hint on a disabled key")
            try requireEqual(try await stores.recoveryKeys.enable(uid: uid, idHash: TokenHash.random()), false, "another fingerprint")
            try requireEqual(try await stores.recoveryKeys.enable(uid: uid, idHash: pending.idHash), true, "its own")
            try requireEqual(try await stores.recoveryKeys.setHint("in the drawer", uid: uid), true, "hinted")
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: uid)?.hint, "in the drawer", "the hint")
            try requireEqual(try await stores.recoveryKeys.delete(uid: uid), true, "deleted")
            try requireEqual(try await stores.recoveryKeys.delete(uid: uid), false, "nothing left")
        },
        ConformanceCase("recovery keys: a reset deletes the key, a change keeps it, and so does a deletion of the account") { stores in
            let account = sampleAccount("rk-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            _ = try await stores.recoveryKeys.save(sampleRecoveryKey(account.uid), replacing: false)
            let event = { OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: Date()) }
            try await stores.accounts.replaceCredentials(uid: account.uid, v1: account.v1, v2: nil, .change, at: Date(), recording: event())
            let kept = try await stores.recoveryKeys.recoveryKey(uid: account.uid)
            try require(kept != nil, "a change keeps kB, so the key")
            let key = try await stores.recoveryKeys.recoveryKey(uid: account.uid)
            do {
                try await stores.accounts.replaceCredentials(
                    uid: account.uid, v1: account.v1, v2: nil, .recoveredReset(keyIDHash: TokenHash.random()), at: Date(),
                    recording: event())
                try require(false, "a reset with a key that is not the account's went through")
            } catch FxAStoreError.notFound {}
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: account.uid), key, "that refusal kept the key")
            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: account.v1, v2: nil, .recoveredReset(keyIDHash: key?.idHash ?? TokenHash.random()), at: Date(),
                recording: event())
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: account.uid), nil, "spent by the reset it made")
            _ = try await stores.recoveryKeys.save(sampleRecoveryKey(account.uid), replacing: false)
            try await stores.accounts.delete(uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.recoveryKeys.recoveryKey(uid: account.uid), nil, "gone with the account")
        },
        ConformanceCase("accounts: a reset with the recovery key keeps kA and the keys' change time") { stores in
            let account = sampleAccount("kept-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            let key = sampleRecoveryKey(account.uid)
            _ = try await stores.recoveryKeys.save(key, replacing: false)
            let before = try await stores.accounts.account(uid: account.uid)
            let later = Date(timeIntervalSince1970: 1_800_000_000)
            try await stores.accounts.replaceCredentials(
                uid: account.uid, v1: account.v1, v2: nil, .recoveredReset(keyIDHash: key.idHash), at: later,
                recording: OutboxEvent(uid: account.uid, kind: .passwordChange, occurredAt: later))
            let after = try await stores.accounts.account(uid: account.uid)
            try requireEqual(after?.kA, before?.kA, "kA kept")
            try requireEqual(after?.keysChangedAt, before?.keysChangedAt, "keys_changed_at kept")
            try requireEqual(after?.verifierSetAt, later, "the generation moves on")
        },
    ]
}
