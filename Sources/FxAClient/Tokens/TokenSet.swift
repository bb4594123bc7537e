import Foundation

/// The provider's answer to a code exchange or a refresh.
///
/// `description` hides the tokens: an RP that logs "signed in with
/// \(tokens)" leaks nothing.
public struct TokenSet: Sendable, Equatable, Codable, CustomStringConvertible {
    /// For the profile API and the RP's own resource servers.
    public var accessToken: String
    /// Always `bearer` at FxA.
    public var tokenType: String
    /// The scopes granted, space-separated.
    public var scope: String
    /// Seconds the access token lives.
    public var expiresIn: Int
    /// Seconds since the epoch at which the user authenticated (FxA).
    public var authAt: Int64?
    /// With `access_type=offline`: trades for new access tokens.
    public var refreshToken: String?
    /// The ID token as received (validated by ``FxAClient/completeAuthorization(_:pending:)``).
    public var idToken: String?
    /// The scoped keys, encrypted to the RP's `keys_jwk` (FxA).
    public var keysJWE: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case scope
        case expiresIn = "expires_in"
        case authAt = "auth_at"
        case refreshToken = "refresh_token"
        case idToken = "id_token"
        case keysJWE = "keys_jwe"
    }

    /// A token set from its parts (stores, tests).
    public init(
        accessToken: String, tokenType: String = "bearer", scope: String, expiresIn: Int, authAt: Int64? = nil,
        refreshToken: String? = nil, idToken: String? = nil, keysJWE: String? = nil
    ) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.scope = scope
        self.expiresIn = expiresIn
        self.authAt = authAt
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.keysJWE = keysJWE
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        tokenType = try container.decodeIfPresent(String.self, forKey: .tokenType) ?? "bearer"
        scope = try container.decodeIfPresent(String.self, forKey: .scope) ?? ""
        expiresIn = try container.decodeIfPresent(Int.self, forKey: .expiresIn) ?? 0
        authAt = try container.decodeIfPresent(Int64.self, forKey: .authAt)
        refreshToken = try container.decodeIfPresent(String.self, forKey: .refreshToken)
        idToken = try container.decodeIfPresent(String.self, forKey: .idToken)
        keysJWE = try container.decodeIfPresent(String.self, forKey: .keysJWE)
    }

    public var description: String {
        "tokens(scope: \(scope), expires_in: \(expiresIn), refresh: \(refreshToken != nil), id_token: \(idToken != nil))"
    }
}

/// FxA's `/v1/verify` answer: whom an access token belongs to.
public struct TokenVerification: Sendable, Equatable, Decodable {
    /// The account's uid.
    public var user: String
    /// The client the token was issued to.
    public var clientID: String
    /// The scopes it carries.
    public var scope: [String]

    enum CodingKeys: String, CodingKey {
        case user
        case clientID = "client_id"
        case scope
    }
}
