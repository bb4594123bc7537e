import FxACore
import Foundation

/// A row of `auth_tokens`: every kind of auth-API token (``StoredToken``).
struct AuthTokenRow: TableRow {
    static let table = "auth_tokens"

    var idHash: Data
    var kind: String
    var uid: String
    var wrappedKeys: Data
    var createdAt: Date
    var verified: Bool
    var verificationMethod: Int?
    var stretchVersion: Int?
    var parentIDHash: Data?
    var sealedKeyBundle: Data?

    init(_ token: StoredToken) {
        idHash = token.idHash.bytes
        kind = token.kind.rawValue
        uid = token.uid.hex
        wrappedKeys = token.wrappedKeys
        createdAt = token.createdAt
        verified = token.verified
        verificationMethod = token.verificationMethod?.rawValue
        stretchVersion = token.stretchVersion?.rawValue
        parentIDHash = token.parentIDHash?.bytes
        sealedKeyBundle = token.sealedKeyBundle
    }

    /// The stored token; `nil` for a row this code could not have written
    /// (a kind a newer version added).
    var record: StoredToken? {
        guard let kind = FxATokenKind(rawValue: kind), let uid = AccountUID(hex: uid), let idHash = TokenHash(bytes: idHash)
        else { return nil }
        return StoredToken(
            idHash: idHash, kind: kind, uid: uid, wrappedKeys: wrappedKeys, createdAt: createdAt, verified: verified,
            verificationMethod: verificationMethod.flatMap(SessionVerificationMethod.init(rawValue:)),
            stretchVersion: stretchVersion.flatMap(KeyStretchVersion.init(rawValue:)), parentIDHash: parentIDHash.flatMap { TokenHash(bytes: $0) },
            sealedKeyBundle: sealedKeyBundle)
    }
}
