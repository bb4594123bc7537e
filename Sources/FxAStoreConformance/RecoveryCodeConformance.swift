import FxACore
import FxAStore
import Foundation

extension StoreConformance {
    /// ``RecoveryCodeStore``.
    static let recoveryCodeCases: [ConformanceCase] = [
        ConformanceCase("recovery codes: each is spent once, and a new set replaces the old one whole") { stores in
            let uid = AccountUID.random()
            let first = (0..<3).map { _ in TokenHash.random() }
            try await stores.recoveryCodes.replace(uid: uid, with: first)
            try requireEqual(try await stores.recoveryCodes.count(uid: uid), 3, "stored")
            try requireEqual(try await stores.recoveryCodes.consume(uid: uid, hash: first[1]), 2, "spent, two left")
            try requireEqual(try await stores.recoveryCodes.consume(uid: uid, hash: first[1]), nil, "not twice")
            try requireEqual(try await stores.recoveryCodes.consume(uid: .random(), hash: first[0]), nil, "not by another account")
            try requireEqual(try await stores.recoveryCodes.consume(uid: uid, hash: TokenHash.random()), nil, "not an unknown one")
            let second = (0..<2).map { _ in TokenHash.random() }
            try await stores.recoveryCodes.replace(uid: uid, with: second)
            try requireEqual(try await stores.recoveryCodes.consume(uid: uid, hash: first[0]), nil, "the old set is gone")
            try requireEqual(try await stores.recoveryCodes.count(uid: uid), 2, "the new set")
            // Two requests with the same code at once: exactly one spends it.
            async let one = stores.recoveryCodes.consume(uid: uid, hash: second[0])
            async let two = stores.recoveryCodes.consume(uid: uid, hash: second[0])
            let outcomes = try await [one, two]
            try requireEqual(outcomes.compactMap { $0 }, [1], "one of two concurrent uses")
            try await stores.recoveryCodes.deleteAll(uid: uid)
            try requireEqual(try await stores.recoveryCodes.count(uid: uid), 0, "all deleted")
        },
        ConformanceCase("recovery codes: deleted with the account") { stores in
            let account = sampleAccount("codes-\(AccountUID.random().hex.prefix(8))@example.org")
            try await stores.accounts.create(account)
            try await stores.recoveryCodes.replace(uid: account.uid, with: [TokenHash.random()])
            try await stores.accounts.delete(uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: Date()))
            try requireEqual(try await stores.recoveryCodes.count(uid: account.uid), 0, "gone with the account")
        },
    ]
}
