import FxACore
import Foundation

/// What the RP keeps, bound to the browser session, between sending the
/// user to the provider and the callback: the state to compare, the PKCE
/// verifier to prove, the nonce the ID token must carry. It is Codable so
/// that a web framework can store it in its session; it must never be put
/// in the browser itself (a cookie value or the URL), or PKCE would protect
/// nothing.
public struct PendingAuthorization: Sendable, Equatable, Codable {
    public let state: String
    public let pkce: PKCEPair
    public let nonce: String
    public let redirectURI: URL
    public let scope: String
    public let createdAt: Date
    /// Where the RP wants the user to land after sign-in (a local path).
    public var returnTo: String?

    public init(
        state: String, pkce: PKCEPair, nonce: String, redirectURI: URL, scope: String, createdAt: Date,
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

    /// Compares the callback's state with this one in constant time.
    public func matches(state presented: String) -> Bool {
        Data(state.utf8).constantTimeEquals(Data(presented.utf8))
    }
}
