import Crypto
import Foundation

/// What a Sync token carries: who it is for, which storage it opens and
/// until when. The tokenserver signs it; the storage routes read it back
/// from the Hawk `id`. Field names are tokenlib's, so a storage node that
/// speaks tokenlib (syncstorage-rs) can read tokens this server issues.
public struct SyncTokenPayload: Codable, Sendable, Equatable {
    /// The Sync user id (a tokenserver user row, not the FxA uid): a new
    /// one whenever the account's keys change, so new keys see empty storage.
    public var uid: Int64
    /// The storage node's base URL.
    public var node: String
    /// Seconds since 1970 after which the token is refused.
    public var expires: Int64
    /// Random, per token: tokenlib mixes it into the derived Hawk key.
    public var salt: String
    /// The FxA account's uid (hex), for the storage node's logs and metrics.
    public var fxaUID: String?
    /// The `X-KeyID` the token was issued for.
    public var fxaKeyID: String?
    /// The account's uid hashed for metrics (``SyncTokenSigner/hashedFxAUID(_:secret:)``).
    public var hashedFxAUID: String?
    /// tokenlib's device id hash; kept for storage nodes that read it.
    public var hashedDeviceID: String?
    /// Which tokenserver issued it (tokenlib's `"python"` when absent).
    public var tokenserverOrigin: String?

    /// A payload; the optional fields are left out of the JSON when `nil`.
    public init(uid: Int64, node: String, expires: Int64, salt: String, fxaUID: String? = nil,
                fxaKeyID: String? = nil, hashedFxAUID: String? = nil, hashedDeviceID: String? = nil,
                tokenserverOrigin: String? = nil) {
        self.uid = uid
        self.node = node
        self.expires = expires
        self.salt = salt
        self.fxaUID = fxaUID
        self.fxaKeyID = fxaKeyID
        self.hashedFxAUID = hashedFxAUID
        self.hashedDeviceID = hashedDeviceID
        self.tokenserverOrigin = tokenserverOrigin
    }

    enum CodingKeys: String, CodingKey {
        case uid, node, expires, salt
        case fxaUID = "fxa_uid", fxaKeyID = "fxa_kid", hashedFxAUID = "hashed_fxa_uid"
        case hashedDeviceID = "hashed_device_id", tokenserverOrigin = "tokenserver_origin"
    }

    /// tokenlib writes `expires` as a float by default (`time.time() +
    /// timeout`); this server writes whole seconds. Both read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uid = try container.decode(Int64.self, forKey: .uid)
        node = try container.decode(String.self, forKey: .node)
        let expiresSeconds = try container.decode(Double.self, forKey: .expires)
        guard expiresSeconds.isFinite, abs(expiresSeconds) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: .expires, in: container, debugDescription: "out of range")
        }
        expires = Int64(expiresSeconds.rounded(.down))
        salt = try container.decode(String.self, forKey: .salt)
        fxaUID = try container.decodeIfPresent(String.self, forKey: .fxaUID)
        fxaKeyID = try container.decodeIfPresent(String.self, forKey: .fxaKeyID)
        hashedFxAUID = try container.decodeIfPresent(String.self, forKey: .hashedFxAUID)
        hashedDeviceID = try container.decodeIfPresent(String.self, forKey: .hashedDeviceID)
        tokenserverOrigin = try container.decodeIfPresent(String.self, forKey: .tokenserverOrigin)
    }
}

/// Mozilla's tokenlib with SHA-256, keyed by the operator's Sync secret:
/// the token `id` is base64url (padded) of the payload's JSON followed by
/// its HMAC under a key derived from the secret, and the Hawk `key` handed
/// to the client beside it is derived from the secret, the token's salt and
/// the `id` itself, so the storage routes need no table of issued tokens.
public struct SyncTokenSigner: Sendable {
    private let secret: SymmetricKey
    private let signingKey: SymmetricKey

    private static let signingInfo = Data("services.mozilla.com/tokenlib/v1/signing".utf8)
    private static let deriveInfo = "services.mozilla.com/tokenlib/v1/derive/"

    /// `secret` is used as tokenlib uses its string: its UTF-8 bytes.
    public init(secret: String) {
        self.secret = SymmetricKey(data: Data(secret.utf8))
        signingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: self.secret, info: Self.signingInfo, outputByteCount: 32)
    }

    /// A signed token for `payload` and its derived Hawk key.
    public func issue(_ payload: SyncTokenPayload) throws -> (id: String, key: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var bytes = try encoder.encode(payload)
        bytes.append(contentsOf: HMAC<SHA256>.authenticationCode(for: bytes, using: signingKey))
        let id = bytes.paddedBase64URLEncodedString
        return (id, derivedKey(tokenID: id, salt: payload.salt))
    }

    /// The payload of `id` if its signature is this secret's; `nil` for
    /// anything else. Expiry is the caller's to check.
    public func payload(ofTokenID id: String) -> SyncTokenPayload? {
        guard let bytes = Data(base64URLEncoded: id), bytes.count > 32 else { return nil }
        let body = bytes.prefix(bytes.count - 32), signature = bytes.suffix(32)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: body, using: signingKey) else {
            return nil
        }
        return try? JSONDecoder().decode(SyncTokenPayload.self, from: body)
    }

    /// The Hawk key of the token `id`: HKDF-SHA256 of the secret, salted
    /// with the payload's `salt` string, for `…/derive/<id>`; base64url, padded.
    public func derivedKey(tokenID id: String, salt: String) -> String {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret, salt: Data(salt.utf8), info: Data((Self.deriveInfo + id).utf8),
            outputByteCount: 32)
        return key.withUnsafeBytes { Data($0) }.paddedBase64URLEncodedString
    }

    /// ``hashedFxAUID(_:secret:)`` under this signer's secret.
    public func hashedFxAUID(_ fxaUID: String) -> String {
        Self.truncatedHex(HMAC<SHA256>.authenticationCode(for: Data(fxaUID.utf8), using: secret))
    }

    /// syncstorage-rs's `hashed_device_id`, from the days when a token
    /// named a device: the same HMAC over `hashed_fxa_uid` followed by the
    /// word `none`. Only metrics read it; it is in the token for storage
    /// nodes that expect it.
    public func hashedDeviceID(hashedFxAUID: String) -> String {
        Self.truncatedHex(HMAC<SHA256>.authenticationCode(for: Data((hashedFxAUID + "none").utf8), using: secret))
    }

    private static func truncatedHex(_ code: HMAC<SHA256>.MAC) -> String {
        String(Data(code).hexString.prefix(32))
    }

    /// tokenlib's `hashed_fxa_uid` (and the metrics id Firefox reports):
    /// the first 32 hex digits of HMAC-SHA256(key: `secret`, `fxaUID`).
    public static func hashedFxAUID(_ fxaUID: String, secret: String) -> String {
        SyncTokenSigner(secret: secret).hashedFxAUID(fxaUID)
    }
}
