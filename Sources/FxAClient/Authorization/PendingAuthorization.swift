import FxACore
import Foundation

/// What the RP keeps, bound to the browser session, between sending the
/// user to the provider and the callback: the state to compare, the PKCE
/// verifier to prove, the nonce the ID token must carry. It is Codable so
/// that a web framework can store it in its session; it must never be put
/// in the browser itself (a cookie value or the URL), or PKCE would protect
/// nothing.
public struct PendingAuthorization: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Compared with the callback's `state`.
    public let state: String
    /// `nil` when PKCE was not used (a confidential client at Mozilla's FxA).
    public let pkce: PKCEPair?
    /// What the ID token's `nonce` must be (when it has one).
    public let nonce: String
    /// Sent again with the code exchange.
    public let redirectURI: URL
    /// The scopes asked for, space-separated as on the wire.
    public let scope: String
    /// When the sign-in began; it must complete within the configured lifetime.
    public let createdAt: Date
    /// Where the RP wants the user to land after sign-in (a local path).
    public var returnTo: String?
    /// The ephemeral P-256 private key (base64url of its 32 bytes) that
    /// opens `keys_jwe`, when scoped keys were asked for.
    public var scopedKeysPrivateKey: String?

    /// Made by ``AuthorizationRequest/prepare(metadata:credentials:redirectURI:now:pkce:)``; public for restoring one from storage.
    public init(
        state: String, pkce: PKCEPair?, nonce: String, redirectURI: URL, scope: String, createdAt: Date,
        returnTo: String? = nil
    ) {
        self.state = state
        self.pkce = pkce
        self.nonce = nonce
        self.redirectURI = redirectURI
        self.scope = scope
        self.createdAt = createdAt
        self.returnTo = returnTo
    }

    /// Hides the secrets (state, verifier, nonce) from logs.
    public var description: String { "pending authorization (scope: \(scope), since \(createdAt))" }

    /// Compares the callback's state with this one in constant time.
    public func matches(state presented: String) -> Bool {
        Data(state.utf8).constantTimeEquals(Data(presented.utf8))
    }
}
