import FxACore
import Foundation

/// An auth-API token as stored: looked up by a hash of its id, with its
/// derived keys wrapped under the id itself.
///
/// The Bearer scheme sends the token id as the credential, so storing ids in
/// the clear would make a database leak a credential leak. Instead the table
/// holds `SHA-256(tokenId)` and the Hawk/bundle keys XOR-wrapped with a key
/// derived from the tokenId: a request brings the id, which finds the row
/// and unwraps the keys; the database alone yields neither.
public struct StoredToken: Sendable, Equatable {
    /// SHA-256 of the token id: the primary key.
    public var idHash: TokenHash
    public var kind: FxATokenKind
    public var uid: AccountUID
    /// `hawkKey || extraKey` XOR `HKDF(tokenId, "fxa-server/token-at-rest", 64)`.
    public var wrappedKeys: Data
    public var createdAt: Date
    /// For session tokens: whether the sign-in was confirmed. Key-fetch
    /// tokens inherit their session's state.
    public var verified: Bool
    /// For session tokens: how the sign-in was confirmed (`nil`: not
    /// confirmed, or before this was recorded).
    public var verificationMethod: SessionVerificationMethod?
    /// For key-fetch tokens: which wrapKb the bundle carries.
    public var stretchVersion: KeyStretchVersion?
    /// For password-change tokens: the session that started the change.
    public var parentIDHash: TokenHash?
    /// For key-fetch tokens: `kA || wrapKb` already sealed with the token's
    /// bundle key (`KeyBundle.seal`), computed at login while the password
    /// was at hand. Only the token holder can open it.
    public var sealedKeyBundle: Data?

    public init(
        idHash: TokenHash, kind: FxATokenKind, uid: AccountUID, wrappedKeys: Data, createdAt: Date,
        verified: Bool, verificationMethod: SessionVerificationMethod? = nil, stretchVersion: KeyStretchVersion? = nil,
        parentIDHash: TokenHash? = nil, sealedKeyBundle: Data? = nil
    ) {
        self.verificationMethod = verificationMethod
        self.idHash = idHash
        self.kind = kind
        self.uid = uid
        self.wrappedKeys = wrappedKeys
        self.createdAt = createdAt
        self.verified = verified
        self.stretchVersion = stretchVersion
        self.parentIDHash = parentIDHash
        self.sealedKeyBundle = sealedKeyBundle
    }
}

/// Persistence of auth-API tokens.
public protocol TokenStore: Sendable {
    func insert(_ token: StoredToken) async throws
    func token(idHash: TokenHash) async throws -> StoredToken?
    /// Deletes and returns the token in one statement, so a single-use token
    /// (keyFetchToken) can be redeemed once even by concurrent requests.
    func consume(idHash: TokenHash) async throws -> StoredToken?
    func delete(idHash: TokenHash) async throws
    /// Marks the token (a session) verified by `method`, with the tokens
    /// issued under it (its key-fetch tokens), as a confirmed sign-in does.
    func markVerified(idHash: TokenHash, method: SessionVerificationMethod) async throws
    /// Marks every session and key-fetch token of the account verified (the
    /// account's email was just confirmed).
    func markAllVerified(uid: AccountUID) async throws
    /// Every token of the account, of the given kinds.
    func tokens(uid: AccountUID, kinds: Set<FxATokenKind>) async throws -> [StoredToken]
    /// Records every session of the account confirmed by a second factor
    /// (the app's code, a backup code) as confirmed by an emailed code:
    /// two-step authentication was turned off, and a session must not count
    /// as having given the code of a secret turned on later.
    func forgetSecondFactor(uid: AccountUID) async throws
}
