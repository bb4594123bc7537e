import FxACore
import FxAStore
import Foundation
import Vapor

/// `POST /v1/verify`: what resource servers (and PyFxA's `verify_token`)
/// ask about an access token.
struct VerifyRequest: Content {
    var token: String?
}

struct VerifyResponse: Content {
    var user: String
    var client_id: String
    var scope: [String]
}

/// `POST /v1/destroy` (FxA: one of `access_token`, `refresh_token`,
/// `refresh_token_id`, or the legacy `token`) and `POST /v1/oauth/destroy`
/// (RFC 7009: `token` with an optional `token_type_hint`).
struct DestroyTokenRequest: Content {
    var access_token: String?
    var refresh_token: String?
    var refresh_token_id: String?
    var token: String?
    var token_type_hint: String?
    var client_id: String?
    var client_secret: String?
}

/// `POST /v1/introspect` (RFC 7662).
struct IntrospectRequest: Content {
    var token: String?
    var token_type_hint: String?
}

/// RFC 7662's answer with FxA's fields; times in milliseconds, as FxA sends them.
struct IntrospectResponse: Content {
    var active: Bool
    var scope: String?
    var client_id: String?
    var token_type: String?
    var iat: Int64?
    var exp: Int64?
    var sub: String?
    var jti: String?
    var fxa_lastUsedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case active, scope, client_id, token_type, iat, exp, sub, jti
        case fxa_lastUsedAt = "fxa-lastUsedAt"
    }

    static let inactive = IntrospectResponse(active: false)
}

/// `GET /v1/client/:client_id`: what the consent screen shows about a client.
struct ClientInfoResponse: Content {
    var id: String
    var name: String
    var trusted: Bool
    var image_uri: String?
    var redirect_uri: String
}

/// Looks up, verifies and destroys OAuth tokens by their hash (or, for
/// `refresh_token_id`, that hash itself).
struct OAuthTokenRegistry: Sendable {
    let grants: any OAuthGrantStore
    let clients: OAuthClientAuthenticator
    let lookup: AccessTokenLookup
    let clock: any WallClock

    func verify(_ body: VerifyRequest) async throws -> VerifyResponse {
        guard let text = body.token, let hash = try await lookup.hash(of: text),
              let stored = try await grants.token(hash: hash), stored.kind == .access
        else { throw FxAError.invalidOAuthToken() }
        if let expiresAt = stored.expiresAt, expiresAt <= clock.now() {
            throw FxAError.oauth(400, .expiredToken, "invalid_token", "Expired token")
        }
        return VerifyResponse(user: stored.uid.hex, client_id: stored.clientID.hex, scope: stored.scope.sortedValues)
    }

    /// RFC 7662: an unknown, malformed or expired token is `{active: false}`.
    /// A refresh token is described only to its own public client, as FxA
    /// does (a confidential client's refresh token is a secret of its backend).
    func introspect(_ body: IntrospectRequest) async throws -> IntrospectResponse {
        if let hint = body.token_type_hint, !["access_token", "refresh_token"].contains(hint) {
            throw FxAError.invalidOAuthParameter(["token_type_hint"])
        }
        guard let text = body.token, let hash = try? await lookup.hash(of: text),
              let stored = try await grants.token(hash: hash)
        else { return .inactive }
        var response = IntrospectResponse(
            active: true, scope: stored.scope.description, client_id: stored.clientID.hex,
            token_type: stored.kind == .access ? "access_token" : "refresh_token", iat: stored.createdAt.millisecondsSince1970,
            sub: stored.uid.hex, jti: hash.hex)
        switch stored.kind {
        case .access:
            guard let expiresAt = stored.expiresAt, expiresAt > clock.now() else { return .inactive }
            response.exp = expiresAt.millisecondsSince1970
        case .refresh:
            let client = try await clients.client(stored.clientID.hex)
            guard client.publicClient else { throw FxAError.notPublicClient() }
            response.fxa_lastUsedAt = stored.lastUsedAt.millisecondsSince1970
        }
        return response
    }

    /// FxA's destroy: exactly one token field; unknown is errno 108; with
    /// client credentials the token must be that client's.
    /// `credentials` reads the client's credentials, only when the token
    /// was found and a client is named.
    func destroy(_ body: DestroyTokenRequest, client credentials: () throws -> ClientCredentials) async throws {
        let access = body.access_token ?? body.token
        let fields = [access, body.refresh_token, body.refresh_token_id].compactMap { $0 }
        guard fields.count == 1 else { throw FxAError.invalidOAuthParameter(["token"]) }
        let found: TokenHash?
        if let access {
            found = try await lookup.hash(of: access)
        } else if let id = body.refresh_token_id {
            found = TokenHash(lowercaseHex: id)
        } else {
            found = Hex32(lowercaseHex: fields[0]).map { TokenHash(of: $0) }
        }
        guard let hash = found else { throw FxAError.invalidOAuthParameter(["token"]) }
        guard let stored = try await grants.token(hash: hash) else { throw FxAError.invalidOAuthToken() }
        let expectedKind: OAuthTokenRecord.Kind = access != nil ? .access : .refresh
        guard stored.kind == expectedKind else { throw FxAError.invalidOAuthToken() }
        let named = try credentials()
        if named.isPresent {
            let (client, _) = try await clients.identify(named)
            guard client.id == stored.clientID else { throw FxAError.invalidOAuthToken() }
        }
        try await grants.deleteToken(hash: hash)
    }

    /// RFC 7009 revocation: the client authenticates (secret, or only its
    /// id for a public client), may revoke only its own tokens, and an
    /// unknown token is not an error.
    func revoke(_ body: DestroyTokenRequest, client credentials: ClientCredentials) async throws {
        let client = try await clients.authenticate(credentials)
        if let hint = body.token_type_hint, hint.count > 64 { throw FxAError.invalidOAuthParameter(["token_type_hint"]) }
        guard let text = body.token else { throw FxAError.invalidOAuthParameter(["token"]) }
        guard let hash = try? await lookup.hash(of: text),
              let stored = try await grants.token(hash: hash), stored.clientID == client.id
        else { return }
        try await grants.deleteToken(hash: hash)
    }
}
