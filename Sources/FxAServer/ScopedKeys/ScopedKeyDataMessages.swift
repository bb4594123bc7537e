import FxACore
import Vapor

/// The body of `POST /v1/account/scoped-key-data`.
struct ScopedKeyDataRequest: Content {
    var client_id: OAuthClientID
    /// Space-separated scopes, at most 256 bytes (FxA's limit).
    var scope: String
}

/// The derivation inputs for one key-bearing scope.
struct ScopedKeyDataEntry: Content, Equatable {
    /// The scope itself: the HKDF info's suffix.
    var identifier: String
    /// 64 hex characters.
    var keyRotationSecret: String
    /// When kB last changed, in milliseconds: the `kid`'s timestamp.
    var keyRotationTimestamp: Int64
}
