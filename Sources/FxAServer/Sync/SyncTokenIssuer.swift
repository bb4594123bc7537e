import FxACore
import FxAStore
import Foundation
import Vapor

/// The tokenserver's answer: the Hawk credentials for one Sync user's
/// storage (`id` and `key`), where that storage is, and for how long.
/// Firefox requires `id`, `key`, `uid`, `api_endpoint` and `duration`.
struct SyncTokenGrant: Content, Equatable {
    var id: String
    var key: String
    var uid: Int64
    var api_endpoint: String
    var duration: Int
    var hashed_fxa_uid: String
    var hashalg: String
    var node_type: String
}

/// Hands out Sync storage credentials for an OAuth access token of Sync's
/// scope, as Mozilla's tokenserver does, but without asking FxA over HTTP:
/// the token, its account and the account's Sync users are all in this
/// server's database.
struct SyncTokenIssuer: Sendable {
    let grants: any OAuthGrantStore
    let accounts: any AccountStore
    let syncUsers: any SyncUserStore
    let lookup: AccessTokenLookup
    let secrets: SyncTokenSecrets
    /// The storage node every token points at: this server's public URL.
    let node: String
    /// `node_type` in the answer: the database kind, for the client's metrics.
    let nodeType: String
    let clock: any WallClock

    /// How long a token lives unless the client asks for less, as in
    /// syncstorage-rs; Firefox asks again at 80 % of it.
    static let defaultDuration = 3600

    /// The grant for `accessToken`, whose client asserts `keyID`.
    ///
    /// - Parameter duration: the `duration` query parameter, honoured only
    ///   when it shortens the token (1 to ``defaultDuration`` seconds).
    func issue(accessToken: String, keyID: SyncKeyID, duration requested: Int?) async throws -> SyncTokenGrant {
        let now = clock.now()
        guard let hash = try? await lookup.hash(of: accessToken),
              let token = try await grants.token(hash: hash), token.kind == .access,
              let expiresAt = token.expiresAt, expiresAt > now,
              // Sync's scope itself, as the tokenserver requires; a broader
              // URL scope that implies it is not enough.
              token.scope.scopes.contains(.oldsync),
              let account = try await accounts.account(uid: token.uid)
        else { throw FxAError.tokenserverInvalidCredentials() }

        let claim = SyncTokenClaim(
            generation: account.verifierSetAt.millisecondsSince1970, keysChangedAt: keyID.keysChangedAt,
            clientState: keyID.clientState)
        let user: SyncUserRecord
        do {
            user = try await syncUsers.assignSyncUser(uid: account.uid, at: now) { users in
                try TokenserverRules.decide(claim, users: users)
            }
        } catch let refusal as TokenserverRefusal {
            throw FxAError.tokenserverRefused(refusal)
        } catch FxAStoreError.notFound {
            // Deleted between the read above and the assignment.
            throw FxAError.tokenserverInvalidCredentials()
        }

        let duration = requested.flatMap { (1...Self.defaultDuration).contains($0) ? $0 : nil } ?? Self.defaultDuration
        let signer = try await secrets.current()
        let hashedFxAUID = signer.hashedFxAUID(account.uid.hex)
        let payload = SyncTokenPayload(
            uid: user.id, node: node, expires: Int64(now.timeIntervalSince1970) + Int64(duration),
            salt: SecureRandom.bytes(3).hexString, fxaUID: account.uid.hex,
            fxaKeyID: SyncKeyID(keysChangedAt: user.keysChangedAt ?? user.generation, clientState: user.clientState).header,
            hashedFxAUID: hashedFxAUID, hashedDeviceID: signer.hashedDeviceID(hashedFxAUID: hashedFxAUID))
        let issued = try signer.issue(payload)
        return SyncTokenGrant(
            id: issued.id, key: issued.key, uid: user.id, api_endpoint: "\(node)/1.5/\(user.id)", duration: duration,
            hashed_fxa_uid: hashedFxAUID, hashalg: "sha256", node_type: nodeType)
    }
}
