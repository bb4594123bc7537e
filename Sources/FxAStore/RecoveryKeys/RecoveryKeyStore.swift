import FxACore
import Foundation

/// An account recovery key as the server holds it: kB encrypted under a key
/// only the user has (`recoveryData`, a JWE the server cannot open), found
/// by the hash of the key's fingerprint (`recoveryKeyId`). One per account.
public struct RecoveryKeyRecord: Sendable, Equatable {
    public var uid: AccountUID
    /// SHA-256 of the fingerprint's bytes: the fingerprint itself is never
    /// stored, as FxA stores it.
    public var idHash: TokenHash
    /// The compact JWE of the account's keys, opaque to the server.
    public var recoveryData: String
    public var createdAt: Date
    /// Whether it can be used: FxA's old flow stores a key disabled until
    /// `/recoveryKey/verify`; today's clients create it enabled.
    public var enabled: Bool
    /// The user's note on where they keep it, shown when they need it.
    public var hint: String?

    public init(
        uid: AccountUID, idHash: TokenHash, recoveryData: String, createdAt: Date, enabled: Bool, hint: String? = nil
    ) {
        self.uid = uid
        self.idHash = idHash
        self.recoveryData = recoveryData
        self.createdAt = createdAt
        self.enabled = enabled
        self.hint = hint
    }
}

/// Persistence of account recovery keys. A password reset deletes the
/// account's key in the same transaction (``AccountStore``): it is spent,
/// or wraps a kB the account no longer has.
public protocol RecoveryKeyStore: Sendable {
    func recoveryKey(uid: AccountUID) async throws -> RecoveryKeyRecord?
    /// Stores the key. An enabled key is replaced only when `replacing`;
    /// a disabled one always. `false` (nothing written) when an enabled key
    /// exists and `replacing` is false.
    func save(_ key: RecoveryKeyRecord, replacing: Bool) async throws -> Bool
    /// Enables the key with this fingerprint hash; whether one was found.
    func enable(uid: AccountUID, idHash: TokenHash) async throws -> Bool
    /// Sets the hint of an enabled key; whether there is one.
    func setHint(_ hint: String?, uid: AccountUID) async throws -> Bool
    /// Removes the key; whether there was one.
    func delete(uid: AccountUID) async throws -> Bool
}
