import FxACore
import FxAStore
import Foundation
import JWTKit

/// What an MFA token lets its holder do, FxA's `action` values: each token
/// carries one as its scope (`mfa:2fa`), so a code emailed to change one
/// thing does not authorize another.
enum MFAAction: String, Sendable, Codable, CaseIterable {
    case twoStep = "2fa"
    case email
    case recoveryKey = "recovery_key"
    case password
    case passkey

    /// The token's scope, as FxA writes it.
    var scope: String { "mfa:\(rawValue)" }
}

/// The short-lived step-up tokens of `/mfa/otp/verify`: proof that the
/// holder of a verified session also read a code emailed to the account a
/// moment ago, which the routes that change the account's second factor
/// require (FxA's MFA JWT).
///
/// A JWT, as FxA's clients expect (PyFxA sends it as `Bearer eyJ…`), signed
/// with the server's RS256 key and told apart from every other JWT this
/// server signs by its `typ`. It names the session by the hash of its id
/// (`stid`), never the id, which is a credential: ending the session ends
/// the token.
struct MFATokens: Sendable {
    let keyRing: SigningKeyRing
    let issuer: PublicBaseURL
    let clock: any WallClock

    /// How long a token works (FxA: 10 minutes).
    static let lifetime: TimeInterval = 600
    /// The header `typ` of these tokens and of no other.
    static let type = "fxa-mfa+jwt"
    /// The audience: no relying party's client id can be this.
    static let audience = "fxa-mfa"

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var scope: [String]
        var iat: Int
        var exp: ExpirationClaim
        var jti: String
        var stid: String

        /// The expiry is checked in ``MFATokens/check(_:for:)`` against the
        /// server's clock (which tests move), not the system's.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token for `action` on the session with id hash `session`.
    func issue(uid: AccountUID, session: TokenHash, action: MFAAction) async throws -> String {
        let key = try await keyRing.current()
        let keys = JWTKeyCollection()
        await keys.add(rsa: key.privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        var header = JWTHeader()
        header.typ = Self.type
        let now = clock.now()
        return try await keys.sign(
            Claims(
                iss: issuer.string, sub: uid.hex, aud: Self.audience, scope: [action.scope],
                iat: Int(now.timeIntervalSince1970), exp: ExpirationClaim(value: now.addingTimeInterval(Self.lifetime)),
                jti: UUID().uuidString.lowercased(), stid: session.hex),
            kid: JWKIdentifier(string: key.kid), header: header)
    }

    /// The account and session id hash of a token for `action`.
    ///
    /// - Throws: ``FxAError/invalidMFAToken()`` for any token that is not
    ///   one of ours, for this action, unexpired.
    func check(_ jwt: String, for action: MFAAction) async throws -> (uid: AccountUID, session: TokenHash) {
        guard SigningKeyRing.headerType(of: jwt) == Self.type else { throw FxAError.invalidMFAToken() }
        let claims: Claims
        do {
            claims = try await keyRing.verificationKeys().verify(jwt, as: Claims.self)
        } catch {
            throw FxAError.invalidMFAToken()
        }
        guard claims.aud == Self.audience, claims.iss == issuer.string, claims.scope.contains(action.scope),
              claims.exp.value > clock.now(),
              let uid = AccountUID(hex: claims.sub), let session = TokenHash(lowercaseHex: claims.stid)
        else { throw FxAError.invalidMFAToken() }
        return (uid, session)
    }
}
