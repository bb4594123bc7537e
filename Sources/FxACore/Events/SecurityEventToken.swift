import Foundation

/// The claims of a Security Event Token (RFC 8417) as FxA's event broker
/// sends them to a relying party's webhook: `iss` the server, `aud` the
/// RP's client id, `sub` the account's uid, `iat`, a unique `jti`, and
/// `events` keyed by FxA's event URIs. No `exp`, as in FxA. Shared by the
/// server (which signs them) and the RP kit (which verifies them).
public struct SecurityEventTokenClaims: Codable, Sendable, Equatable {
    public var iss: String
    public var aud: String
    public var sub: String
    public var iat: Int
    public var jti: String
    public var events: [String: [String: JSONValue]]

    public init(iss: String, aud: String, sub: String, iat: Int, jti: String, events: [String: [String: JSONValue]]) {
        self.iss = iss
        self.aud = aud
        self.sub = sub
        self.iat = iat
        self.jti = jti
        self.events = events
    }
}

/// FxA's event URIs (`fxa-event-broker/src/jwtset/set.interface.ts`).
public enum SecurityEventURI {
    public static let base = "https://schemas.accounts.firefox.com/event/"
    public static let passwordChange = base + "password-change"
    public static let profileChange = base + "profile-change"
    public static let deleteUser = base + "delete-user"
    public static let subscriptionStateChange = base + "subscription-state-change"

    /// The URI of the event FxA names `name` (`password-change`, ...).
    public static func named(_ name: String) -> String { base + name }
}
