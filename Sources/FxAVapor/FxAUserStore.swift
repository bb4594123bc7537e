import FxAClient
import Foundation

/// What the app keeps about a user who signed in with FxA, keyed by `uid`.
public struct FxAStoredUser: Sendable, Equatable {
    /// The key.
    public var uid: String
    /// The profile as last fetched (or updated from an event).
    public var profile: FxAProfile
    /// The newest refresh token, so that the app can fetch the profile again
    /// when the provider says it changed.
    public var refreshToken: String?
    /// Sessions that began before this are ended.
    public var passwordChangedAt: Date?

    /// A stored user from its parts.
    public init(uid: String, profile: FxAProfile, refreshToken: String? = nil, passwordChangedAt: Date? = nil) {
        self.uid = uid
        self.profile = profile
        self.refreshToken = refreshToken
        self.passwordChangedAt = passwordChangedAt
    }
}

/// The app's persistence for FxA users. FxAVapor calls it on sign-in, when
/// it loads the signed-in user, and (through the default
/// ``FxAEventHandler``) when the provider reports a change. Every method is
/// keyed by `uid`, never by email.
public protocol FxAUserStore: Sendable {
    /// The user, or `nil` when unknown or erased.
    func user(uid: String) async throws -> FxAStoredUser?
    /// Creates or updates the user after a sign-in: profile and refresh token.
    func signedIn(_ signIn: FxASignIn, at date: Date) async throws
    /// Replaces the stored profile (after a profile-change event).
    func updateProfile(uid: String, profile: FxAProfile) async throws
    /// Records a password change; sessions that began earlier end.
    func recordPasswordChange(uid: String, at date: Date) async throws
    /// Removes the refresh token if it is `token` (it was destroyed at sign-out).
    func forgetRefreshToken(uid: String, token: String) async throws
    /// Erases everything the app holds about the user (delete-user).
    func erase(uid: String) async throws
}
