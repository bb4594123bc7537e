import FxACore
import Foundation

/// A registered relying party, as the OAuth server needs it.
///
/// Only hashes of the secret are kept: the current one, and the previous
/// one during a rotation so the RP can deploy the new secret without
/// downtime.
public struct OAuthClientRecord: Sendable, Equatable {
    public var id: OAuthClientID
    public var name: String
    /// Compared byte for byte with a request's `redirect_uri`; the first is
    /// the default when a request names none and only one is registered.
    public var redirectURIs: [String]
    public var imageURI: String?
    /// Trusted clients skip the consent screen and may be granted any scope
    /// in ``allowedScopes``; others only FxA's small untrusted set.
    public var trusted: Bool
    /// Public clients (native apps, SPAs) have no secret and must use PKCE.
    public var publicClient: Bool
    /// Scopes the client may ever receive, as space-free scope strings.
    public var allowedScopes: [String]
    /// Where Security Event Tokens about this client's users are pushed.
    public var webhookURL: String?
    /// Issue RS256 JWT access tokens (`typ: at+jwt`) instead of opaque ones.
    public var jwtAccessTokens: Bool
    public var secretHash: TokenHash?
    public var previousSecretHash: TokenHash?
    public var createdAt: Date
    /// The account that registered the client in the developer console and
    /// may manage it there; `nil` for clients the operator registered (CLI)
    /// and for those whose owner deleted their account.
    public var ownerUID: AccountUID?
    /// Whether an account registered it in the developer console, rather
    /// than the operator with the CLI. Set once and kept when the owner's
    /// account is deleted: such a client was registered by someone the
    /// operator never vetted, which decides, for one, whether errors are
    /// redirected to it unasked.
    public var registeredInConsole: Bool
    /// Turned off by the operator: no new code, token or refresh for it
    /// (FxA's errno 202). Tokens already issued expire on their own; the
    /// way to keep a built-in Firefox client from being used.
    public var disabled: Bool

    public init(
        id: OAuthClientID, name: String, redirectURIs: [String], imageURI: String? = nil, trusted: Bool = false,
        publicClient: Bool = false, allowedScopes: [String] = [], webhookURL: String? = nil,
        jwtAccessTokens: Bool = false, secretHash: TokenHash? = nil, previousSecretHash: TokenHash? = nil, createdAt: Date,
        ownerUID: AccountUID? = nil, registeredInConsole: Bool? = nil, disabled: Bool = false
    ) {
        self.id = id
        self.name = name
        self.redirectURIs = redirectURIs
        self.imageURI = imageURI
        self.trusted = trusted
        self.publicClient = publicClient
        self.allowedScopes = allowedScopes
        self.webhookURL = webhookURL
        self.jwtAccessTokens = jwtAccessTokens
        self.secretHash = secretHash
        self.previousSecretHash = previousSecretHash
        self.createdAt = createdAt
        self.ownerUID = ownerUID
        self.registeredInConsole = registeredInConsole ?? (ownerUID != nil)
        self.disabled = disabled
    }
}

/// Persistence of OAuth clients.
public protocol OAuthClientStore: Sendable {
    /// - Throws: ``FxAStoreError/conflict`` when the id is taken.
    func create(_ client: OAuthClientRecord) async throws
    func client(id: OAuthClientID) async throws -> OAuthClientRecord?
    /// Every client, ordered by name then id.
    func clients() async throws -> [OAuthClientRecord]
    /// The clients `owner` registered in the console, ordered by name then id.
    func clients(ownedBy owner: AccountUID) async throws -> [OAuthClientRecord]
    /// Replaces the stored fields (not the secret hashes, see
    /// ``rotateSecret(id:to:)``, nor the owner, which is set at creation).
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown id.
    func update(_ client: OAuthClientRecord) async throws
    /// Makes `newHash` the current secret and keeps the current one as the
    /// previous (the one before that stops working), atomically.
    ///
    /// - Throws: ``FxAStoreError/notFound`` for an unknown id.
    func rotateSecret(id: OAuthClientID, to newHash: TokenHash) async throws
    /// Forgets the previous secret once every deployment uses the new one.
    func dropPreviousSecret(id: OAuthClientID) async throws
    /// Deletes the client and everything issued to it: codes, tokens, the
    /// record that accounts authorized it, its pending event deliveries.
    ///
    /// - Returns: whether a client was deleted.
    @discardableResult
    func delete(id: OAuthClientID) async throws -> Bool
}
