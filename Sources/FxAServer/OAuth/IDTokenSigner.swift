import Crypto
import FxACore
import Foundation
import JWTKit

/// Signs OpenID Connect ID tokens (RS256, the key ring's current key, on
/// the CPU pool: ``RS256Signer``) with the claims FxA puts in them, plus
/// `auth_time` and `nonce` for standard OIDC clients.
struct IDTokenSigner: Sendable {
    let signer: RS256Signer
    let issuer: PublicBaseURL

    /// FxA's ID tokens live 5 minutes.
    static let lifetime: TimeInterval = 5 * 60

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var iat: Int
        var exp: Int
        var auth_time: Int
        var at_hash: String
        var amr: [String]
        var acr: String
        var fxa_aal: Int
        var nonce: String?

        enum CodingKeys: String, CodingKey {
            case iss, sub, aud, iat, exp, auth_time, at_hash, amr, acr, nonce
            case fxa_aal = "fxa-aal"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func sign(
        uid: AccountUID, clientID: OAuthClientID, accessToken: String, authAt: Date, amr: [String], aal: Int,
        nonce: String?, at now: Date
    ) async throws -> String {
        let claims = Claims(
            iss: issuer.string, sub: uid.hex, aud: clientID.hex, iat: Int(now.timeIntervalSince1970),
            exp: Int(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970),
            auth_time: Int(authAt.timeIntervalSince1970), at_hash: Self.atHash(accessToken), amr: amr,
            acr: "AAL\(aal)", fxa_aal: aal, nonce: nonce)
        return try await signer.sign(claims, type: "JWT")
    }

    /// OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the
    /// access token's ASCII.
    static func atHash(_ accessToken: String) -> String {
        Data(SHA256.hash(data: Data(accessToken.utf8)).prefix(16)).base64URLEncodedString
    }
}
