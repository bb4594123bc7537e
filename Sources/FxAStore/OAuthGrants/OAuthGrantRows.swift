import FxACore
import Foundation

/// A row of `oauth_codes`: an authorization code, by its hash (``OAuthCodeRecord``).
struct OAuthCodeRow: TableRow {
    static let table = "oauth_codes"

    var codeHash: Data
    var clientID: String
    var uid: String
    var scope: String
    var redirectURI: String?
    var codeChallenge: String?
    var nonce: String?
    var offline: Bool
    var authAt: Date
    var amr: [String]
    var aal: Int
    var keysJWE: String?
    var createdAt: Date
    var usedAt: Date?

    init(_ code: OAuthCodeRecord) {
        codeHash = code.codeHash.bytes
        clientID = code.clientID.hex
        uid = code.uid.hex
        scope = code.scope.description
        redirectURI = code.redirectURI
        codeChallenge = code.codeChallenge
        nonce = code.nonce
        offline = code.offline
        authAt = code.authAt
        amr = code.amr
        aal = code.aal
        keysJWE = code.keysJWE
        createdAt = code.createdAt
        usedAt = code.usedAt
    }

    /// The stored code; `nil` only for a row this code could not have written.
    var record: OAuthCodeRecord? {
        guard let codeHash = TokenHash(bytes: codeHash), let clientID = OAuthClientID(hex: clientID),
              let uid = AccountUID(hex: uid), let scope = OAuthScopeSet(parsing: scope, maximumLength: .max)
        else { return nil }
        return OAuthCodeRecord(
            codeHash: codeHash, clientID: clientID, uid: uid, scope: scope, redirectURI: redirectURI,
            codeChallenge: codeChallenge, nonce: nonce, offline: offline, authAt: authAt, amr: amr, aal: aal,
            keysJWE: keysJWE, createdAt: createdAt, usedAt: usedAt)
    }
}

/// A row of `oauth_tokens`: an access or refresh token, by its hash
/// (``OAuthTokenRecord``).
struct OAuthTokenRow: TableRow {
    static let table = "oauth_tokens"

    var tokenHash: Data
    var kind: String
    var clientID: String
    var uid: String
    var scope: String
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date
    var parentHash: Data?
    var grantCodeHash: Data?
    var authAt: Date?
    var sessionIDHash: Data?

    init(_ token: OAuthTokenRecord) {
        tokenHash = token.tokenHash.bytes
        kind = token.kind.rawValue
        clientID = token.clientID.hex
        uid = token.uid.hex
        scope = token.scope.description
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        lastUsedAt = token.lastUsedAt
        parentHash = token.parentHash?.bytes
        grantCodeHash = token.grantCodeHash?.bytes
        authAt = token.authAt
        sessionIDHash = token.sessionIDHash?.bytes
    }

    /// The stored token; `nil` only for a row this code could not have written.
    var record: OAuthTokenRecord? {
        guard let tokenHash = TokenHash(bytes: tokenHash), let kind = OAuthTokenRecord.Kind(rawValue: kind),
              let clientID = OAuthClientID(hex: clientID), let uid = AccountUID(hex: uid),
              let scope = OAuthScopeSet(parsing: scope, maximumLength: .max)
        else { return nil }
        return OAuthTokenRecord(
            tokenHash: tokenHash, kind: kind, clientID: clientID, uid: uid, scope: scope, createdAt: createdAt,
            expiresAt: expiresAt, lastUsedAt: lastUsedAt, parentHash: parentHash.flatMap { TokenHash(bytes: $0) },
            grantCodeHash: grantCodeHash.flatMap { TokenHash(bytes: $0) }, authAt: authAt,
            sessionIDHash: sessionIDHash.flatMap { TokenHash(bytes: $0) })
    }
}
