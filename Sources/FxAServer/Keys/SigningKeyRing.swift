import FxACore
import FxAStore
import Foundation
import JWTKit
import Logging

/// The server's RS256 keys: the current one that signs, and the previous
/// one that is only published so tokens it signed keep verifying.
///
/// Keys from the database are re-read every ``refreshInterval`` so that a
/// `fxa-server keys rotate` run against a shared database reaches every
/// running instance without a restart; parsed keys are cached by `kid`, so a
/// refresh costs one small query, not an RSA parse.
public actor SigningKeyRing {
    /// How a ring finds its keys.
    public enum Source: Sendable {
        /// Rows of the `signing_keys` table.
        case store(any SigningKeyStore)
        /// Keys the operator loaded from PEM files; never change at runtime.
        case fixed(current: RSASigningKey, previous: RSASigningKey?)
    }

    private let source: Source
    private let clock: any WallClock
    /// How long a loaded key set is trusted before the store is asked again.
    public let refreshInterval: TimeInterval
    private var loaded: (keys: [RSASigningKey], at: Date)?
    private var parsed: [String: RSASigningKey] = [:]

    public init(source: Source, clock: any WallClock, refreshInterval: TimeInterval = 60) {
        self.source = source
        self.clock = clock
        self.refreshInterval = refreshInterval
    }

    /// Makes sure a current key exists, generating and storing one on the
    /// very first start. Run under the database's startup lock so that two
    /// instances starting together agree on one key.
    ///
    /// - Returns: the current key's id, for the startup log.
    @discardableResult
    public func bootstrap(logger: Logger) async throws -> String {
        if case .store(let store) = source {
            let existing = try await store.publishedKeys()
            if !existing.contains(where: { $0.status == .current }) {
                let key = try RSASigningKey.generate()
                let stored = try await store.insertCurrentIfAbsent(
                    StoredSigningKey(kid: key.kid, pem: key.pemRepresentation, status: .current, createdAt: clock.now()))
                logger.notice("generated the first signing key", metadata: ["kid": .string(stored.kid)])
            }
            loaded = nil
        }
        return try await current().kid
    }

    /// The key that signs new tokens.
    public func current() async throws -> RSASigningKey {
        guard let key = try await published().first else { throw FxAStoreError.notFound }
        return key
    }

    /// Current key first, then the previous one if any.
    public func published() async throws -> [RSASigningKey] {
        switch source {
        case .fixed(let current, let previous):
            return [current] + (previous.map { [$0] } ?? [])
        case .store(let store):
            let now = clock.now()
            if let loaded, now.timeIntervalSince(loaded.at) < refreshInterval, now >= loaded.at {
                return loaded.keys
            }
            let rows = try await store.publishedKeys()
            let keys = try rows.map { row in
                if let cached = parsed[row.kid] { return cached }
                let key = try RSASigningKey(pem: row.pem)
                parsed[row.kid] = key
                return key
            }
            parsed = parsed.filter { entry in rows.contains { $0.kid == entry.key } }
            loaded = (keys, now)
            return keys
        }
    }

    /// The JWKS document served at `/v1/jwks`.
    public func jwks() async throws -> JWKSet {
        JWKSet(keys: try await published().map(\.publicJWK))
    }

    /// Forgets the cached key set so the next call reads the store (used
    /// right after a rotation in this process).
    public func invalidate() {
        loaded = nil
    }
}
