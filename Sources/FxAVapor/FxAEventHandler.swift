import FxAClient
import Foundation
import Logging

/// What the app does when the provider reports a change to a user. Each
/// method has a default that does the integration guide's data hygiene
/// through the ``FxAUserStore``; an app overrides a method to do more (for
/// example, also deleting files on ``userDeleted(uid:)``) and calls the
/// default's effect itself if it still wants it.
///
/// A method that throws makes the webhook answer 500, and the provider
/// retries the same event later.
public protocol FxAEventHandler: Sendable {
    var users: any FxAUserStore { get }
    var client: FxAClient { get }
    var logger: Logger { get }

    /// The profile changed. Default: fetch it again with the stored refresh
    /// token and store it; when the event carries a new primary email and
    /// no refresh token is available, store at least that email.
    func profileChanged(uid: String, change: FxAEvent.ProfileChange) async throws
    /// The password changed. Default: record it, which ends the user's
    /// sessions that began earlier (``FxAUserMiddleware``).
    func passwordChanged(uid: String, at date: Date) async throws
    /// The account was deleted. Default: erase the user.
    func userDeleted(uid: String) async throws
    /// Capabilities changed. Default: log only.
    func subscriptionChanged(uid: String, capabilities: [String], isActive: Bool) async throws
    /// The user opted out of (or back into) metrics. Default: log only; an
    /// app that collects per-user metrics must delete them on opt-out.
    func metricsPreferenceChanged(uid: String, enabled: Bool) async throws
}

extension FxAEventHandler {
    /// Dispatches every event of a verified SET.
    public func handle(_ event: FxASecurityEvent) async throws {
        for item in event.events {
            switch item {
            case .profileChange(let change): try await profileChanged(uid: event.uid, change: change)
            case .passwordChange(let time): try await passwordChanged(uid: event.uid, at: time ?? event.issuedAt)
            case .deleteUser: try await userDeleted(uid: event.uid)
            case .subscriptionStateChange(let capabilities, let isActive, _):
                try await subscriptionChanged(uid: event.uid, capabilities: capabilities, isActive: isActive)
            case .metricsOptOut: try await metricsPreferenceChanged(uid: event.uid, enabled: false)
            case .metricsOptIn: try await metricsPreferenceChanged(uid: event.uid, enabled: true)
            case .unknown(let uri): logger.notice("ignoring an unknown FxA event", metadata: ["uri": .string(uri)])
            }
        }
    }

    public func profileChanged(uid: String, change: FxAEvent.ProfileChange) async throws {
        guard let stored = try await users.user(uid: uid) else { return }
        if let refreshToken = stored.refreshToken {
            do {
                let tokens = try await client.refresh(refreshToken: refreshToken)
                let profile = try await client.profile(accessToken: tokens.accessToken)
                try await users.updateProfile(uid: uid, profile: profile)
                // The access token was for this one fetch; leave none behind.
                try? await client.destroy(token: tokens.accessToken, kind: .accessToken)
                return
            } catch FxAClientError.providerError(400, let errno, let error, _) where errno == 108 || error == "invalid_grant" {
                // The user revoked this app's refresh token (FxA errno 108,
                // OAuth `invalid_grant`): fall through to what the event
                // itself says. Any other failure (a 429, a 5xx) is thrown, so
                // the webhook answers 500 and the provider retries.
                try await users.forgetRefreshToken(uid: uid, token: refreshToken)
            }
        }
        if let email = change.email {
            var profile = stored.profile
            profile.email = email
            try await users.updateProfile(uid: uid, profile: profile)
        }
    }

    public func passwordChanged(uid: String, at date: Date) async throws {
        try await users.recordPasswordChange(uid: uid, at: date)
    }

    public func userDeleted(uid: String) async throws {
        try await users.erase(uid: uid)
    }

    public func subscriptionChanged(uid: String, capabilities: [String], isActive: Bool) async throws {
        logger.info("FxA capabilities changed", metadata: [
            "uid": .string(uid), "capabilities": .string(capabilities.joined(separator: ",")), "active": .stringConvertible(isActive),
        ])
    }

    public func metricsPreferenceChanged(uid: String, enabled: Bool) async throws {
        logger.info("FxA metrics preference changed", metadata: ["uid": .string(uid), "enabled": .stringConvertible(enabled)])
    }
}

/// The default handler: exactly the protocol's defaults.
public struct StandardFxAEventHandler: FxAEventHandler {
    /// Where the defaults read and write users.
    public let users: any FxAUserStore
    /// Used by the default profile refetch.
    public let client: FxAClient
    /// Where the defaults log.
    public let logger: Logger

    /// The default handler over the app's store.
    public init(users: any FxAUserStore, client: FxAClient, logger: Logger = Logger(label: "fxa.events")) {
        self.users = users
        self.client = client
        self.logger = logger
    }
}
