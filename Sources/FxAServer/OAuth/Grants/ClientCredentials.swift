import FxACore
import Vapor

/// The client a request speaks for, as it presented itself: in the body
/// (`client_id`, `client_secret`) or as HTTP Basic, never both ways at once
/// (FxA's `lib/oauth/client.js`). Decoded at the edge; proven by
/// ``OAuthClientAuthenticator``.
struct ClientCredentials: Sendable {
    /// The client id as sent (checked when the client is looked up).
    let clientID: String?
    /// The secret as sent, if any.
    let secret: String?
    /// Sent as HTTP Basic: failures then answer 401 with a Basic challenge
    /// (RFC 6749 §5.2), where FxA answers body credentials with 400.
    let viaBasic: Bool

    /// Reads the body's fields and the `Authorization: Basic` header.
    /// Basic names the client; a body `client_id` must then be the same
    /// one, and a body secret beside Basic is refused.
    init(bodyClientID: String?, bodySecret: String?, headers: HTTPHeaders) throws {
        guard let basic = headers.basicAuthorization else {
            self.init(clientID: bodyClientID, secret: bodySecret, viaBasic: false)
            return
        }
        guard bodySecret == nil else { throw FxAError.invalidOAuthParameter(["client_secret"]) }
        if let bodyClientID, bodyClientID != basic.username { throw FxAError.invalidOAuthParameter(["client_id"]) }
        self.init(clientID: basic.username, secret: basic.password, viaBasic: true)
    }

    init(clientID: String?, secret: String?, viaBasic: Bool) {
        self.clientID = clientID
        self.secret = secret
        self.viaBasic = viaBasic
    }

    /// Whether the request named a client at all (destroy takes an
    /// optional one).
    var isPresent: Bool { clientID != nil || viaBasic }
}
