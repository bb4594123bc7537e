import Crypto
import FxACore
import Foundation

/// The claims of a validated ID token. Only ``IDTokenValidator`` makes one,
/// so holding a value means every check passed.
public struct IDTokenClaims: Sendable, Equatable, Decodable {
    /// The issuer (checked).
    public var iss: String
    /// The account's uid at FxA.
    public var sub: String
    /// The audiences (checked to contain this client).
    public var aud: Audience
    /// Expiry, seconds since the epoch (checked).
    public var exp: Double
    /// Issue time, seconds since the epoch (checked against the clock).
    public var iat: Double
    /// The request's nonce (checked when present; Mozilla's FxA sends none).
    public var nonce: String?
    /// Half the SHA-256 of the access token (checked when present).
    public var atHash: String?
    /// When the user authenticated.
    public var authTime: Int64?
    /// How the user authenticated.
    public var amr: [String]?
    /// The authentication context class (`AAL1`, `AAL2`).
    public var acr: String?
    /// FxA's authentication assurance level (2 with two-step auth).
    public var fxaAAL: Int?
    /// OIDC's authorized party, required to be us when `aud` has several.
    public var azp: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, amr, acr, azp
        case atHash = "at_hash"
        case authTime = "auth_time"
        case fxaAAL = "fxa-aal"
    }

    /// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
    public struct Audience: Sendable, Equatable, Decodable {
        /// Every audience named.
        public var values: [String]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }
}

/// Checks an ID token as OIDC Core §3.1.3.7 asks: signature against the
/// provider's JWKS (RS256 only), `iss`, `aud` (and `azp`), `exp`, `iat`,
/// the `nonce` of the request, and `at_hash` against the access token that
/// came with it.
struct IDTokenValidator: Sendable {
    let issuer: String
    let clientID: String
    let clockSkew: TimeInterval
    let requireNonce: Bool
    let keys: JWKSCache

    func validate(_ token: String, nonce: String, accessToken: String?, now: Date) async throws -> IDTokenClaims {
        do {
            let jws = try CompactJWS(token)
            try await keys.verify(jws)
            let claims = try jws.claims(as: IDTokenClaims.self)
            try check(claims, nonce: nonce, accessToken: accessToken, now: now)
            return claims
        } catch let rejection as TokenRejection {
            throw FxAClientError.invalidIDToken(rejection)
        }
    }

    private func check(_ claims: IDTokenClaims, nonce: String, accessToken: String?, now: Date) throws(TokenRejection) {
        guard ProviderMetadata.sameIssuer(claims.iss, issuer) else { throw .wrongIssuer }
        guard claims.aud.values.contains(clientID) else { throw .wrongAudience }
        if claims.aud.values.count > 1, claims.azp != clientID { throw .wrongAudience }
        let seconds = now.timeIntervalSince1970
        guard claims.exp + clockSkew > seconds else { throw .expired }
        guard claims.iat - clockSkew <= seconds else { throw .issuedAtOutOfRange }
        if let presented = claims.nonce {
            guard Data(presented.utf8).constantTimeEquals(Data(nonce.utf8)) else { throw .nonceMismatch }
        } else if requireNonce {
            throw .missingClaim("nonce")
        }
        if let atHash = claims.atHash, let accessToken {
            let digest = Data(SHA256.hash(data: Data(accessToken.utf8)))
            let expected = digest.prefix(digest.count / 2).base64URLEncodedString
            guard Data(expected.utf8).constantTimeEquals(Data(atHash.utf8)) else { throw .accessTokenHashMismatch }
        }
    }
}
