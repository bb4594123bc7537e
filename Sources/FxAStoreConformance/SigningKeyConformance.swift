import FxAStore
import Foundation

extension StoreConformance {
    static func sampleKey(_ name: String, at seconds: TimeInterval = 1_700_000_000) -> StoredSigningKey {
        // The store treats the PEM as opaque text, so cases need no real RSA key.
        StoredSigningKey(
            kid: name, pem: "-----BEGIN PRIVATE KEY-----\n\(name)\n-----END PRIVATE KEY-----\n",
            status: .current, createdAt: Date(timeIntervalSince1970: seconds))
    }

    /// ``SigningKeyStore``: bootstrap, rotation, and the one-current-key rule.
    static let signingKeyCases: [ConformanceCase] = [
        ConformanceCase("signing keys: a new database publishes none") { stores in
            try requireEqual(try await stores.signingKeys.publishedKeys(), [], "published keys")
        },
        ConformanceCase("signing keys: the first key inserted becomes current and round-trips") { stores in
            let key = sampleKey("first")
            let stored = try await stores.signingKeys.insertCurrentIfAbsent(key)
            try requireEqual(stored, key, "returned key")
            try requireEqual(try await stores.signingKeys.publishedKeys(), [key], "published keys")
        },
        ConformanceCase("signing keys: a second bootstrap keeps the existing current key") { stores in
            let first = sampleKey("first")
            _ = try await stores.signingKeys.insertCurrentIfAbsent(first)
            let second = try await stores.signingKeys.insertCurrentIfAbsent(sampleKey("second"))
            try requireEqual(second, first, "key returned to the second caller")
            try requireEqual(try await stores.signingKeys.publishedKeys().map(\.kid), ["first"], "published kids")
        },
        ConformanceCase("signing keys: concurrent bootstraps agree on one current key") { stores in
            let store = stores.signingKeys
            let winners = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 {
                    group.addTask { try await store.insertCurrentIfAbsent(sampleKey("racer-\(index)")).kid }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            try requireEqual(winners.count, 1, "distinct keys handed out")
            let published = try await store.publishedKeys()
            try requireEqual(published.map(\.kid), Array(winners), "published kids")
        },
        ConformanceCase("signing keys: rotation publishes the new key first and keeps the old one") { stores in
            let old = sampleKey("old", at: 1_700_000_000)
            _ = try await stores.signingKeys.insertCurrentIfAbsent(old)
            try await stores.signingKeys.rotate(to: sampleKey("new", at: 1_700_000_100))
            let published = try await stores.signingKeys.publishedKeys()
            try requireEqual(published.map(\.kid), ["new", "old"], "published kids")
            try requireEqual(published.map(\.status), [.current, .previous], "statuses")
            try requireEqual(published[1].pem, old.pem, "previous key's PEM")
        },
        ConformanceCase("signing keys: a second rotation drops the oldest key") { stores in
            _ = try await stores.signingKeys.insertCurrentIfAbsent(sampleKey("one", at: 1))
            try await stores.signingKeys.rotate(to: sampleKey("two", at: 2))
            try await stores.signingKeys.rotate(to: sampleKey("three", at: 3))
            try requireEqual(
                try await stores.signingKeys.publishedKeys().map(\.kid), ["three", "two"], "published kids")
        },
        ConformanceCase("signing keys: rotating an empty store installs a current key") { stores in
            try await stores.signingKeys.rotate(to: sampleKey("only"))
            let published = try await stores.signingKeys.publishedKeys()
            try requireEqual(published.map(\.kid), ["only"], "published kids")
            try requireEqual(published.map(\.status), [.current], "statuses")
        },
    ]
}
