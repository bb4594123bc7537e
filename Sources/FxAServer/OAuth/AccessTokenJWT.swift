import FxACore
import Foundation
import JWTKit

/// JWT access tokens (RFC 9068 style, as FxA issues them for clients that
/// opt in): RS256 with the key ring's current key, header `typ: at+JWT`,
/// and `jti` = the hex of the opaque token whose SHA-256 is the database
/// row, so a JWT can still be revoked and looked up like an opaque token.
struct AccessTokenJWT: Sendable {
    let keyRing: SigningKeyRing
    let issuer: PublicBaseURL

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var client_id: String
        var scope: String
        var iat: Int
        var exp: ExpirationClaim
        var jti: String

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    /// Whether `token` has the shape of a JWT rather than 64 hex.
    static func looksLikeJWT(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    func sign(
        opaque: Hex32, uid: AccountUID, clientID: OAuthClientID, scope: OAuthScopeSet, issuedAt: Date, expiresAt: Date
    ) async throws -> String {
        let key = try await keyRing.current()
        let keys = JWTKeyCollection()
        await keys.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        var header = JWTHeader()
        header.typ = "at+JWT"
        return try await keys.sign(
            Claims(
                iss: issuer.string, sub: uid.hex, aud: clientID.hex, client_id: clientID.hex, scope: scope.description,
                iat: Int(issuedAt.timeIntervalSince1970), exp: ExpirationClaim(value: expiresAt), jti: opaque.hex),
            kid: JWKIdentifier(string: key.kid), header: header)
    }

    /// The opaque token inside a JWT access token whose signature (against
    /// any published key), `typ` and expiry check out.
    ///
    /// - Throws: errno 115 when expired, 108 for anything else.
    func opaqueToken(in jwt: String) async throws -> Hex32 {
        guard ["at+jwt", "application/at+jwt"].contains(SigningKeyRing.headerType(of: jwt) ?? "") else {
            throw FxAError.invalidOAuthToken()
        }
        let keys = try await keyRing.verificationKeys()
        let claims: Claims
        do {
            claims = try await keys.verify(jwt, as: Claims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw FxAError.oauth(400, .expiredToken, "invalid_token", "Expired token")
        } catch {
            throw FxAError.invalidOAuthToken()
        }
        guard let opaque = Hex32(lowercaseHex: claims.jti) else { throw FxAError.invalidOAuthToken() }
        return opaque
    }
}
