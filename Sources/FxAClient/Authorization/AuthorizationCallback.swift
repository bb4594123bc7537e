import Foundation
import FxACore

/// The query of the redirect back from the provider: a `code` and `state`,
/// or an OAuth `error` (with the same `state`).
public struct AuthorizationCallback: Sendable, Equatable {
    /// The authorization code, when the provider granted the request.
    public var code: String?
    /// Must equal the pending authorization's state.
    public var state: String?
    /// The OAuth error (`access_denied`, `login_required`, ...) when it did not.
    public var error: String?
    /// The provider's explanation of `error`, for logs.
    public var errorDescription: String?

    /// A callback from its parts (tests, or frameworks that parse queries themselves).
    public init(code: String? = nil, state: String? = nil, error: String? = nil, errorDescription: String? = nil) {
        self.code = code
        self.state = state
        self.error = error
        self.errorDescription = errorDescription
    }

    /// Reads the callback from its query parameters.
    public init(query: [String: String]) {
        self.init(
            code: query["code"], state: query["state"], error: query["error"], errorDescription: query["error_description"])
    }

    /// Reads the callback from the URL the browser was sent to.
    public init(url: URL) {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        var query: [String: String] = [:]
        for item in items where query[item.name] == nil { query[item.name] = item.value ?? "" }
        self.init(query: query)
    }
}

/// A completed sign-in: the tokens, the validated ID token (when `openid`
/// was asked for) and the profile.
public struct FxASignIn: Sendable {
    /// What the code exchange returned; keep it server-side.
    public var tokens: TokenSet
    /// The validated ID token, when `openid` was granted.
    public var idToken: IDTokenClaims?
    /// The user's profile (from the ID token alone without a profile scope).
    public var profile: FxAProfile
    /// The scoped keys FxA sent (by scope), when they were asked for and the
    /// client may have key-bearing scopes. Keep them as secret as kB.
    public var scopedKeys: [String: ScopedKey] = [:]
    /// The local path the sign-in asked to return to, already validated.
    public var returnTo: String?

    /// The account's stable id: key everything by this.
    public var uid: String { profile.uid }
}
