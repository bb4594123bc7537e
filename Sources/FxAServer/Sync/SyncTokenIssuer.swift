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

/// What `node_type` tells the client about the storage behind it: only
/// its metrics read it.
enum SyncNodeType: String, Sendable {
    case sqlite, postgres
}

/// Hands out Sync storage credentials for an OAuth access token of Sync's
/// scope, as Mozilla's tokenserver does, but without asking FxA over HTTP:
/// the token, its account and the account's Sync users are all in this
/// server's database.
///
/// Knowing the account, it checks more than Mozilla's tokenserver can: the
/// token must be younger than the account's password (FxA's tokenserver
/// learns that from the token's `fxa-generation`), and the key id's time
/// must be the account's own `keysChangedAt` (the one scoped-key data
/// reports), so a holder of a Sync token cannot claim keys the account
/// never had and lock its real devices out with them.
struct SyncTokenIssuer: Sendable {
    let grants: any OAuthGrantStore
    let accounts: any AccountStore
    let syncUsers: any SyncUserStore
    let lookup: AccessTokenLookup
    let secrets: SyncTokenSecrets
    /// The storage node every token points at: this server's public URL.
    let node: String
    /// `node_type` in the answer.
    let nodeType: SyncNodeType
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
        let hash: TokenHash?
        do {
            hash = try await lookup.hash(of: accessToken)
        } catch is FxAError {
            // A JWT that is not ours or has expired. Anything else (the key
            // ring unreadable) is an outage, not the client's fault: a 401
            // would make Firefox ask its user to sign in again.
            throw FxAError.tokenserverInvalidCredentials()
        }
        guard let hash, let token = try await grants.token(hash: hash), token.kind == .access,
              let expiresAt = token.expiresAt, expiresAt > now,
              // Sync's scope itself, as the tokenserver requires; a broader
              // URL scope that implies it is not enough.
              token.scope.scopes.contains(.oldsync),
              let account = try await accounts.account(uid: token.uid)
        else { throw FxAError.tokenserverInvalidCredentials() }
        // A token granted before the current password (a confidential
        // client's survives a change) is of an older generation.
        guard token.createdAt >= account.verifierSetAt else {
            throw FxAError.tokenserverRefused(.invalidGeneration)
        }
        guard keyID.keysChangedAt == account.keysChangedAt.millisecondsSince1970 else {
            throw FxAError.tokenserverRefused(.invalidKeysChangedAt)
        }

        let claim = SyncTokenClaim(
            generation: account.verifierSetAt.millisecondsSince1970, keysChangedAt: keyID.keysChangedAt,
            clientState: keyID.clientState)
        let user = try await assign(claim, uid: account.uid, at: now)

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
            hashed_fxa_uid: hashedFxAUID, hashalg: "sha256", node_type: nodeType.rawValue)
    }

    /// The account's Sync user for `claim`. A conflict means another
    /// request moved the user between this one's read and its write; it is
    /// decided once more on what that one wrote, then reported as a
    /// passing outage (503), which Firefox retries later.
    private func assign(_ claim: SyncTokenClaim, uid: AccountUID, at now: Date) async throws -> SyncUserRecord {
        for attempt in 1...2 {
            do {
                return try await syncUsers.assignSyncUser(uid: uid, at: now) { users in
                    try TokenserverRules.decide(claim, users: users)
                }
            } catch let refusal as TokenserverRefusal {
                throw FxAError.tokenserverRefused(refusal)
            } catch FxAStoreError.notFound {
                // Deleted since the account was read.
                throw FxAError.tokenserverInvalidCredentials()
            } catch FxAStoreError.conflict where attempt == 1 {
                continue
            } catch FxAStoreError.conflict {
                throw FxAError.serviceUnavailable(retryAfter: 5)
            }
        }
        throw FxAError.serviceUnavailable(retryAfter: 5)
    }
}
