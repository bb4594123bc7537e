import FxACore
import FxAStore
import Foundation
import Vapor

/// A profile request's verified access token and the profile it opens.
struct AuthorizedProfile: Sendable {
    let token: OAuthTokenRecord
    let profile: ProfileRecord
    /// What `GET /v1/profile` answers for this token.
    let document: ProfileDocument

    /// Refuses unless the token's scopes grant `scope` (FxA's implication
    /// rules: `profile` grants every read scope, `profile:write` every one).
    func require(_ scope: OAuthScope) throws {
        guard token.scope.implies(scope) else { throw FxAError.insufficientProfileScope(scope) }
    }
}

/// Verifies `Authorization: Bearer <access token>` for the profile routes
/// locally: one read of the token and its account (FxA's profile server asks
/// the OAuth server over HTTP for every request), through the same
/// ``AccessTokenLookup`` as `/v1/verify`, so a destroyed JWT stops working
/// at once, as an opaque one does. Verified tokens are kept in a
/// ``ProfileReadCache`` (see there for why that is never stale in-process).
struct ProfileAuthenticator: Sendable {
    let profiles: any ProfileStore
    let database: StoreDatabase
    let cache: ProfileReadCache
    let lookup: AccessTokenLookup
    let avatars: AvatarURLs
    let clock: any WallClock

    func authenticate(_ request: Request) async throws -> AuthorizedProfile {
        guard let header = request.headers.first(name: .authorization) else {
            throw FxAError.profileTokenMissing("Bearer token not provided")
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw FxAError.profileTokenMissing("Unauthorized")
        }
        let credential = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        let found: TokenHash?
        do {
            found = try await lookup.hash(of: credential)
        } catch {
            throw FxAError.profileUnauthorized("Invalid token")
        }
        guard let hash = found else { throw FxAError.profileUnauthorized("Invalid token") }
        let now = clock.now()
        // Read before the lookup: a change committed during it makes the entry unusable.
        let generation = database.changeGeneration
        let entry: ProfileReadCache.Entry
        if let cached = cache.entry(hash, generation: generation, now: now) {
            entry = cached
        } else {
            guard let found = try await profiles.profile(accessTokenHash: hash), found.token.kind == .access else {
                throw FxAError.profileUnauthorized("Invalid token")
            }
            entry = ProfileReadCache.Entry(
                found: found, document: try ProfileDocument(profile: found.profile, scope: found.token.scope, avatars: avatars),
                generation: generation, storedAt: now)
            cache.store(hash, entry)
        }
        guard let expiresAt = entry.found.token.expiresAt, expiresAt > now else {
            throw FxAError.profileUnauthorized("Expired token")
        }
        return AuthorizedProfile(token: entry.found.token, profile: entry.found.profile, document: entry.document)
    }
}
