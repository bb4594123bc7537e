import FxACore
import Foundation

/// An authorization code as stored: only its SHA-256, and everything the
/// token endpoint must check and carry over. Redeemed codes are kept
/// (with `usedAt`) until they expire, so a replay can be recognised and
/// what the code issued revoked (RFC 6749 §4.1.2, RFC 9700 §4.5).
public struct OAuthCodeRecord: Sendable, Equatable {
    public var codeHash: TokenHash
    public var clientID: OAuthClientID
    public var uid: AccountUID
    public var scope: OAuthScopeSet
    /// The redirect URI the code went to (the one the request named, or the
    /// client's only one): a token request that names one must name this.
    /// `nil` in rows written before it was always stored.
    public var redirectURI: String?
    /// The S256 PKCE challenge, if the request carried one.
    public var codeChallenge: String?
    /// OIDC `nonce`, echoed in the ID token.
    public var nonce: String?
    /// `access_type=offline`: the exchange also issues a refresh token.
    public var offline: Bool
    /// When the user authenticated, and how (`amr`, assurance level).
    public var authAt: Date
    public var amr: [String]
    public var aal: Int
    /// Scoped-keys bundle from the client-side flow, passed through to the token response.
    public var keysJWE: String?
    public var createdAt: Date
    public var usedAt: Date?

    public init(
        codeHash: TokenHash, clientID: OAuthClientID, uid: AccountUID, scope: OAuthScopeSet, redirectURI: String?,
        codeChallenge: String?, nonce: String?, offline: Bool, authAt: Date, amr: [String], aal: Int,
        keysJWE: String?, createdAt: Date, usedAt: Date? = nil
    ) {
        self.codeHash = codeHash
        self.clientID = clientID
        self.uid = uid
        self.scope = scope
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.nonce = nonce
        self.offline = offline
        self.authAt = authAt
        self.amr = amr
        self.aal = aal
        self.keysJWE = keysJWE
        self.createdAt = createdAt
        self.usedAt = usedAt
    }
}

/// What happened when a code was presented.
public enum OAuthCodeRedemption: Sendable, Equatable {
    /// First use: the caller may issue tokens.
    case redeemed(OAuthCodeRecord)
    /// The code was used before: the caller must refuse and revoke what the first use issued.
    case replayed(OAuthCodeRecord)
    case unknown
}

/// An access or refresh token as stored: the SHA-256 of the token.
public struct OAuthTokenRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case access
        case refresh
    }

    public var tokenHash: TokenHash
    public var kind: Kind
    public var clientID: OAuthClientID
    public var uid: AccountUID
    public var scope: OAuthScopeSet
    public var createdAt: Date
    /// Access tokens expire; refresh tokens do not (as in FxA).
    public var expiresAt: Date?
    public var lastUsedAt: Date
    /// For an access token minted by a refresh grant: that refresh token's
    /// hash, so destroying the refresh token kills its access tokens.
    public var parentHash: TokenHash?
    /// The hash of the authorization code that issued it, for revocation on replay.
    public var grantCodeHash: TokenHash?
    public var authAt: Date?
    /// For a token of the `fxa-credentials` grant: the id hash of the FxA
    /// session that minted it (Firefox's). Signing that session out (its
    /// device from Devices & apps, `/v1/session/destroy`) ends the token too.
    public var sessionIDHash: TokenHash?

    public init(
        tokenHash: TokenHash, kind: Kind, clientID: OAuthClientID, uid: AccountUID, scope: OAuthScopeSet, createdAt: Date,
        expiresAt: Date?, lastUsedAt: Date, parentHash: TokenHash? = nil, grantCodeHash: TokenHash? = nil, authAt: Date? = nil,
        sessionIDHash: TokenHash? = nil
    ) {
        self.sessionIDHash = sessionIDHash
        self.tokenHash = tokenHash
        self.kind = kind
        self.clientID = clientID
        self.uid = uid
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.parentHash = parentHash
        self.grantCodeHash = grantCodeHash
        self.authAt = authAt
    }
}

/// Persistence of authorization codes and OAuth tokens.
public protocol OAuthGrantStore: Sendable {
    func insertCode(_ code: OAuthCodeRecord) async throws
    /// Marks the code used and stores the tokens `issue` makes for it, in
    /// one transaction: of concurrent redemptions exactly one gets
    /// `.redeemed`, the others `.replayed`, and a crash never leaves a used
    /// code without its tokens (one durable commit per exchange, too).
    ///
    /// `issue` sees the redeemed code and either returns the tokens to store
    /// or throws; a throw still commits the code as used (a code that failed
    /// a check is burnt, not retried) and is rethrown after the commit.
    func redeemCode(
        hash: TokenHash, at date: Date, issuing issue: @escaping @Sendable (OAuthCodeRecord) throws -> [OAuthTokenRecord]
    ) async throws -> OAuthCodeRedemption

    func insertToken(_ token: OAuthTokenRecord) async throws
    func token(hash: TokenHash) async throws -> OAuthTokenRecord?
    /// Deletes the token; a refresh token takes with it the access tokens
    /// it minted and those issued beside it in the same exchange (RFC 7009
    /// §2.1). Returns whether a token was deleted.
    @discardableResult
    func deleteToken(hash: TokenHash) async throws -> Bool
    /// Revokes everything an authorization code issued (its replay was seen).
    func deleteTokens(grantCodeHash: TokenHash) async throws
    /// The account's tokens, for the "Devices & apps" list.
    func tokens(uid: AccountUID) async throws -> [OAuthTokenRecord]
    /// The user disconnected a client (Devices & apps): deletes one of its
    /// refresh tokens (as ``deleteToken(hash:)`` does) or, with `nil`, every
    /// token the client holds for the account. When the client is left with
    /// no live token of the account, its other tokens and its codes go too
    /// (so an exchange in flight cannot undo the revocation; a used code's
    /// replay is then simply unknown) and it is marked disconnected: it
    /// hears no more events about the account but its deletion, until the
    /// user authorizes it again (``OutboxStore``).
    func disconnect(uid: AccountUID, clientID: OAuthClientID, refreshTokenHash: TokenHash?, at date: Date) async throws
    /// Records use of a refresh token.
    func touchToken(hash: TokenHash, at date: Date) async throws
    /// Drops codes created before `codesBefore` and access tokens expired before `tokensBefore`.
    func purgeExpired(codesBefore: Date, tokensBefore: Date) async throws
}

extension OAuthGrantStore {
    /// Marks the code used without issuing anything.
    public func redeemCode(hash: TokenHash, at date: Date) async throws -> OAuthCodeRedemption {
        try await redeemCode(hash: hash, at: date, issuing: { _ in [] })
    }
}
