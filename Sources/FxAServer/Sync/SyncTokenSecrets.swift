import Crypto
import FxACore
import Foundation

/// The secret Sync tokens are signed with (tokenlib's "master secret"),
/// derived from the server's signing keys as ``MetricsFlowKeys`` derives
/// its own: HKDF-SHA256 over the RSA private key with a label of its own.
///
/// Mozilla's tokenserver and storage nodes share a configured secret.
/// Here both halves run in the same binary on one database, so deriving
/// it means every instance agrees without another secret to configure,
/// and `fxa-server keys rotate` rotates it too. Tokens live an hour; a
/// rotation keeps the previous key's tokens valid for as long as that key
/// is published, and a token refused after a second rotation only makes
/// Firefox ask the tokenserver again. The metrics id handed to Firefox
/// (`hashed_fxa_uid`) is keyed by the same secret, so it changes with a
/// rotation too; only Firefox's telemetry reads it.
struct SyncTokenSecrets: Sendable {
    let keyRing: SigningKeyRing

    private static let label = Data("swift-fxa sync token secret v1".utf8)

    /// The signer of new tokens.
    func current() async throws -> SyncTokenSigner {
        Self.signer(for: try await keyRing.current())
    }

    /// Every signer a valid token may come from, current first: what the
    /// storage routes check a token's `id` against.
    func accepted() async throws -> [SyncTokenSigner] {
        try await keyRing.published().map(Self.signer)
    }

    /// The secret as tokenlib takes it, a string: 64 hex digits.
    static func secret(for key: RSASigningKey) -> String {
        let derived = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: key.privateKey.derRepresentation), info: label, outputByteCount: 32)
        return derived.withUnsafeBytes { Data($0) }.hexString
    }

    private static func signer(for key: RSASigningKey) -> SyncTokenSigner {
        SyncTokenSigner(secret: secret(for: key))
    }
}
