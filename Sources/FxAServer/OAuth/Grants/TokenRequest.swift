import FxACore
import Vapor

/// A `/v1/token` request after the edge's checks: which grant with its own
/// typed parameters, the client's credentials and the access token's
/// lifetime. Nothing past this decodes a field again.
struct TokenRequest: Sendable {
    /// The grant asked for, one case per ``TokenGrant``-style handler in
    /// this folder.
    enum Grant: Sendable {
        case authorizationCode(AuthorizationCodeGrant.Parameters)
        case refreshToken(RefreshTokenGrant.Parameters)
        case fxaCredentials(FxACredentialsGrant.Parameters)
    }

    let grant: Grant
    let client: ClientCredentials
    /// The access token's lifetime in seconds.
    let ttl: Int

    /// Longest access-token life, and the default (FxA: 6 h 5 min).
    static let maximumAccessTokenLifetime = 365 * 60

    /// Reads `form` for the route it came to. FxA defaults a missing
    /// `grant_type` to `authorization_code` on `/v1/token` (PyFxA's
    /// `trade_code` sends none), and on the session route `/v1/oauth/token`
    /// to `fxa-credentials` unless a `code` is present.
    init(form: TokenRequestForm, headers: HTTPHeaders, sessionRoute: Bool) throws {
        switch form.grant_type {
        case _ where Self.asksForFxACredentials(form, sessionRoute: sessionRoute):
            grant = .fxaCredentials(try .init(form: form))
        case nil, "authorization_code"?:
            grant = .authorizationCode(try .init(form: form))
        case "refresh_token"?:
            grant = .refreshToken(try .init(form: form))
        default:
            throw FxAError.invalidGrantType()
        }
        client = try ClientCredentials(bodyClientID: form.client_id, bodySecret: form.client_secret, headers: headers)
        ttl = try Self.lifetime(form.ttl)
    }

    /// Whether `form` asks for `fxa-credentials`, by name or by FxA's
    /// default on the session route; known before anything is checked, so
    /// the session can be authenticated first.
    static func asksForFxACredentials(_ form: TokenRequestForm, sessionRoute: Bool) -> Bool {
        form.grant_type == "fxa-credentials" || (form.grant_type == nil && sessionRoute && form.code == nil)
    }

    /// The requested `ttl` in seconds, positive, capped at the maximum
    /// (also the default). FxA caps rather than refuses a longer one
    /// (`lib/routes/oauth/token.js`: `ttl: Joi.number().positive()` and
    /// `Math.min(params.ttl, MAX_TTL_S)`), and clients written against its
    /// older two-week maximum still ask for more, so swift-fxa caps too;
    /// `expires_in` tells the client what it got.
    static func lifetime(_ ttl: Int?) throws -> Int {
        guard let ttl else { return maximumAccessTokenLifetime }
        guard ttl > 0 else { throw FxAError.invalidOAuthParameter(["ttl"]) }
        return min(ttl, maximumAccessTokenLifetime)
    }
}
