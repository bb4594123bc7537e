import FxACore
import Vapor

/// An account recovery key's fingerprint (`recoveryKeyId`): 16 bytes the
/// client derives from the key and the uid with HKDF. The server keeps only
/// its SHA-256.
struct RecoveryKeyID: FixedLengthHex {
    static let byteCount = 16
    let bytes: Data
    init(uncheckedBytes: Data) { bytes = uncheckedBytes }

    /// What is stored and compared.
    var hash: TokenHash { TokenHash(of: bytes) }
}

/// `POST /v1/recoveryKey` and `/v1/mfa/recoveryKey`.
struct RecoveryKeyCreateRequest: Content {
    var recoveryKeyId: RecoveryKeyID
    /// The JWE of the account's keys under the recovery key; at most 1024
    /// characters, as FxA's validator takes it.
    var recoveryData: String
    var enabled: Bool?
    var replaceKey: Bool?
}

/// `POST /v1/recoveryKey/verify`.
struct RecoveryKeyVerifyRequest: Content {
    var recoveryKeyId: RecoveryKeyID
}

/// `POST /v1/recoveryKey/hint`.
struct RecoveryKeyHintRequest: Content {
    var hint: String?
}

/// `GET /v1/recoveryKey/{recoveryKeyId}`.
struct RecoveryDataResponse: Content {
    var recoveryData: String
}

/// `POST /v1/recoveryKey/exists`.
struct RecoveryKeyExistsResponse: Content {
    var exists: Bool
    var hint: String?
}
