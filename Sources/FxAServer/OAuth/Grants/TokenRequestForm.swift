import FxACore
import Vapor

/// `POST /v1/token` as sent, a form (RFC 6749) or JSON (FxA clients), before
/// any check: ``TokenRequest`` turns it into what a grant may act on.
/// Unknown fields are ignored, as FxA's `stripUnknown` does.
struct TokenRequestForm: Content {
    var grant_type: String?
    var client_id: String?
    var client_secret: String?
    var code: String?
    var code_verifier: String?
    var redirect_uri: String?
    var refresh_token: String?
    var scope: String?
    var ttl: Int?
    /// `fxa-credentials` only: `offline` adds a refresh token.
    var access_type: String?
}

/// FxA's token response (`generateTokens`).
struct TokenResponse: Content {
    var access_token: String
    var token_type = "bearer"
    var scope: String
    var expires_in: Int
    var auth_at: Int64?
    var refresh_token: String?
    var id_token: String?
    var keys_jwe: String?
}
