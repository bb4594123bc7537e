import FxACore
import FxAStore
import Foundation
import Vapor

/// The relying parties that hold tokens for an account: what "Devices &
/// apps" lists and what a user revokes there (FxA's
/// `authorized-clients/list.js` and `destroy.js`, authorized by the
/// session instead of a BrowserID assertion).
struct AuthorizedClients: Sendable {
    let grants: any OAuthGrantStore
    let clients: any OAuthClientStore
    let clock: any WallClock

    /// One entry per refresh token, plus one per client that holds only
    /// live access tokens (merged: earliest creation, latest use, union of
    /// scopes); newest use first, then by name and creation time.
    func list(uid: AccountUID) async throws -> [AuthorizedClientEntry] {
        let now = clock.now()
        let tokens = try await grants.tokens(uid: uid).filter { token in token.expiresAt.map { $0 > now } ?? true }
        var names: [OAuthClientID: String] = [:]
        for id in Set(tokens.map(\.clientID)) {
            names[id] = try await clients.client(id: id)?.name
        }
        var entries: [AuthorizedClientEntry] = []
        let withRefresh = Set(tokens.filter { $0.kind == .refresh }.map(\.clientID))
        for token in tokens where token.kind == .refresh {
            guard let name = names[token.clientID] else { continue }
            entries.append(AuthorizedClientEntry(
                client_id: token.clientID.hex, refresh_token_id: token.tokenHash.hex, client_name: name,
                created_time: token.createdAt.millisecondsSince1970, last_access_time: token.lastUsedAt.millisecondsSince1970,
                scope: token.scope.sortedValues))
        }
        let accessOnly = Dictionary(grouping: tokens.filter { $0.kind == .access && !withRefresh.contains($0.clientID) }, by: \.clientID)
        for (clientID, group) in accessOnly {
            guard let name = names[clientID] else { continue }
            entries.append(AuthorizedClientEntry(
                client_id: clientID.hex, refresh_token_id: nil, client_name: name,
                created_time: (group.map(\.createdAt).min() ?? now).millisecondsSince1970,
                last_access_time: (group.map(\.lastUsedAt).max() ?? now).millisecondsSince1970,
                scope: group.reduce(OAuthScopeSet([])) { $0.union($1.scope) }.sortedValues))
        }
        return entries.sorted { a, b in
            if a.last_access_time != b.last_access_time { return a.last_access_time > b.last_access_time }
            if a.client_name != b.client_name { return a.client_name < b.client_name }
            return a.created_time < b.created_time
        }
    }

    /// Deletes one refresh token (and the access tokens issued with it), or
    /// every token the client holds for the account; a client left with
    /// nothing stops hearing about the account but its deletion.
    func destroy(uid: AccountUID, _ body: DestroyAuthorizedClientRequest) async throws {
        guard let text = body.client_id, let clientID = OAuthClientID(lowercaseHex: text) else {
            throw FxAError.invalidOAuthParameter(["client_id"])
        }
        guard let refreshID = body.refresh_token_id else {
            try await grants.disconnect(uid: uid, clientID: clientID, refreshTokenHash: nil, at: clock.now())
            return
        }
        guard let hash = TokenHash(lowercaseHex: refreshID) else {
            throw FxAError.invalidOAuthParameter(["refresh_token_id"])
        }
        guard let token = try await grants.token(hash: hash), token.kind == .refresh, token.uid == uid,
              token.clientID == clientID
        else { throw FxAError.unknownOAuthToken() }
        try await grants.disconnect(uid: uid, clientID: clientID, refreshTokenHash: hash, at: clock.now())
    }
}

/// One row of `/v1/authorized-clients`, in FxA's field names.
struct AuthorizedClientEntry: Content, Equatable {
    var client_id: String
    /// The refresh token's id (the hash it is stored under, never the token).
    var refresh_token_id: String?
    var client_name: String
    var created_time: Int64
    var last_access_time: Int64
    var scope: [String]

    /// Firefox's own tokens (the `fxa-credentials` grant of a built-in
    /// client, no refresh token): they belong to the Firefox's device,
    /// which Devices & apps and `attached_clients` list instead, as FxA
    /// leaves out `canGrant` clients' access tokens.
    var belongsToFirefoxDevice: Bool {
        refresh_token_id == nil && OAuthClientID(hex: client_id).map(FirstPartyClients.contains) == true
    }
}

/// `POST /v1/authorized-clients/destroy`.
struct DestroyAuthorizedClientRequest: Content {
    var client_id: String?
    var refresh_token_id: String?
}

/// The routes, authorized by the account's session (Bearer `fxs_` or Hawk).
struct AuthorizedClientsController: RouteCollection {
    let service: AuthorizedClients
    let authenticator: TokenAuthenticator

    func boot(routes: any RoutesBuilder) throws {
        routes.get("v1", "authorized-clients", use: list)
        routes.post("v1", "authorized-clients", use: list)
        routes.post("v1", "authorized-clients", "destroy", use: destroy)
    }

    /// A session still waiting for its sign-in code sees nothing (138).
    @Sendable func list(_ request: Request) async throws -> [AuthorizedClientEntry] {
        let session = try await authenticator.authenticate(request, as: [.sessionToken])
        guard session.stored.verified else { throw FxAError.unverifiedSession() }
        return try await service.list(uid: session.uid)
    }

    /// Revoking needs a verified session (``VerifiedSessionRule``).
    @Sendable func destroy(_ request: Request) async throws -> EmptyJSON {
        let session = try await authenticator.authenticateVerifiedSession(request).token
        try await service.destroy(uid: session.uid, try request.oauthBody(DestroyAuthorizedClientRequest.self))
        return EmptyJSON()
    }
}
