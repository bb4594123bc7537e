import Foundation

/// Where a signing key stands in its rotation.
public enum SigningKeyStatus: String, Sendable, Codable, CaseIterable {
    /// Signs everything new. Exactly one key is current.
    case current
    /// No longer signs, still published in the JWKS so tokens it signed keep
    /// verifying until they expire. At most one key is previous.
    case previous
}

/// A signing key as stored: the PEM private key and its rotation state.
public struct StoredSigningKey: Sendable, Equatable {
    /// RFC 7638 thumbprint of the public key.
    public var kid: String
    /// PKCS#8 PEM of the private key.
    public var pem: String
    public var status: SigningKeyStatus
    public var createdAt: Date

    public init(kid: String, pem: String, status: SigningKeyStatus, createdAt: Date) {
        self.kid = kid
        self.pem = pem
        self.status = status
        self.createdAt = createdAt
    }
}

/// Persistence of the server's RS256 signing keys, so that every instance and
/// every restart signs with the same key and publishes the same JWKS.
public protocol SigningKeyStore: Sendable {
    /// The current key followed by the previous one, if any.
    func publishedKeys() async throws -> [StoredSigningKey]

    /// Stores `candidate` as the current key unless one exists already, and
    /// returns whichever key is current afterwards. Safe against a concurrent
    /// caller: at most one current key can ever exist.
    func insertCurrentIfAbsent(_ candidate: StoredSigningKey) async throws -> StoredSigningKey

    /// In one transaction: drops the previous key, demotes the current key to
    /// previous and stores `newKey` as current.
    func rotate(to newKey: StoredSigningKey) async throws
}
