import FxACore
import Foundation

/// One event of a verified Security Event Token, typed. What an RP must do
/// about each is in docs/rp-kit.md; `FxAVapor`'s default event handler does it.
public enum FxAEvent: Sendable, Equatable {
    /// The password changed at `changeTime`: end the user's sessions that
    /// began before it.
    case passwordChange(changeTime: Date?)
    /// The profile changed: fetch it again. `email` is the new primary
    /// email when that is what changed.
    case profileChange(ProfileChange)
    /// The account is gone: erase what the RP holds about the user.
    case deleteUser
    /// The user's capabilities changed (subscriptions).
    case subscriptionStateChange(capabilities: [String], isActive: Bool, changeTime: Date?)
    /// The user turned metrics off: stop collecting metrics tied to them and
    /// delete what exists (FxA's integration requirements).
    case metricsOptOut
    /// The user turned metrics back on.
    case metricsOptIn
    /// An event URI the kit does not know; kept so an RP can log it.
    case unknown(uri: String)

    /// The fields FxA sends with a profile change.
    public struct ProfileChange: Sendable, Equatable {
        /// The new primary email, when that changed.
        public var email: String?
        /// The new locale, when that changed.
        public var locale: String?
        /// The user's metrics choice, when that changed.
        public var metricsEnabled: Bool?
        /// Two-step authentication turned on or off.
        public var totpEnabled: Bool?
        /// The account was disabled by FxA.
        public var accountDisabled: Bool?
        /// The account was locked by FxA.
        public var accountLocked: Bool?

        /// A change from its commonest parts (tests).
        public init(email: String? = nil, locale: String? = nil) {
            self.email = email
            self.locale = locale
        }
    }

    init(uri: String, fields: [String: JSONValue]) {
        func date(_ name: String) -> Date? {
            fields[name]?.number.map { Date(timeIntervalSince1970: $0 / 1000) }
        }
        switch uri {
        case SecurityEventURI.passwordChange:
            self = .passwordChange(changeTime: date("changeTime"))
        case SecurityEventURI.profileChange:
            var change = ProfileChange(email: fields["email"]?.string, locale: fields["locale"]?.string)
            change.metricsEnabled = fields["metricsEnabled"]?.bool
            change.totpEnabled = fields["totpEnabled"]?.bool
            change.accountDisabled = fields["accountDisabled"]?.bool
            change.accountLocked = fields["accountLocked"]?.bool
            self = .profileChange(change)
        case SecurityEventURI.deleteUser:
            self = .deleteUser
        case SecurityEventURI.subscriptionStateChange:
            let capabilities = fields["capabilities"]?.array?.compactMap(\.string) ?? []
            self = .subscriptionStateChange(
                capabilities: capabilities, isActive: fields["isActive"]?.bool ?? false, changeTime: date("changeTime"))
        case SecurityEventURI.named("metrics-opt-out"):
            self = .metricsOptOut
        case SecurityEventURI.named("metrics-opt-in"):
            self = .metricsOptIn
        default:
            self = .unknown(uri: uri)
        }
    }
}

/// A verified Security Event Token: who it is about, its id, and its events.
public struct FxASecurityEvent: Sendable, Equatable {
    /// The account's uid (`sub`).
    public var uid: String
    /// Unique per token. fxa-server reuses it across the retries of one
    /// delivery; Mozilla's broker signs a new token (new `jti`) per attempt,
    /// so handlers must be idempotent and the `jti` check is a replay
    /// defence, not de-duplication.
    public var jti: String
    /// When the provider signed the token.
    public var issuedAt: Date
    /// The events it carries, usually one.
    public var events: [FxAEvent]
}
