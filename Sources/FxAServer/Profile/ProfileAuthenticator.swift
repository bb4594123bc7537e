import Crypto
import FxACore
import FxAStore
import Foundation
import Vapor

/// A profile request's verified access token and the profile it opens.
struct AuthorizedProfile: Sendable {
    let token: OAuthTokenRecord
    let profile: ProfileRecord

    /// Refuses unless the token's scopes grant `scope` (FxA's implication
    /// rules: `profile` grants every read scope, `profile:write` every one).
    func require(_ scope: OAuthScope) throws {
        guard token.scope.implies(scope) else { throw FxAError.insufficientProfileScope(scope) }
    }
}

/// Verifies `Authorization: Bearer <access token>` for the profile routes
/// locally: one read of the token and its account (FxA's profile server asks
/// the OAuth server over HTTP for every request). An opaque token is 64
/// hex; a JWT access token is checked (signature, `typ`, expiry) and then
/// looked up by the opaque token inside, so a destroyed JWT stops working
/// at once, as an opaque one does.
struct ProfileAuthenticator: Sendable {
    let profiles: any ProfileStore
    let accessJWT: AccessTokenJWT
    let clock: any WallClock

    func authenticate(_ request: Request) async throws -> AuthorizedProfile {
        guard let header = request.headers.first(name: .authorization) else {
            throw FxAError.profileUnauthorized("Bearer token not provided")
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw FxAError.profileUnauthorized("Unauthorized")
        }
        let credential = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let opaque: Hex32
        if AccessTokenJWT.looksLikeJWT(credential) {
            do {
                opaque = try await accessJWT.opaqueToken(in: credential)
            } catch {
                throw FxAError.profileUnauthorized("Invalid token")
            }
        } else {
            guard let token = Hex32(hex: credential), token.hex == credential else {
                throw FxAError.profileUnauthorized("Invalid token")
            }
            opaque = token
        }
        guard let found = try await profiles.profile(accessTokenHash: Data(SHA256.hash(data: opaque.bytes))),
              found.token.kind == .access
        else { throw FxAError.profileUnauthorized("Invalid token") }
        guard let expiresAt = found.token.expiresAt, expiresAt > clock.now() else {
            throw FxAError.profileUnauthorized("Expired token")
        }
        return AuthorizedProfile(token: found.token, profile: found.profile)
    }
}
