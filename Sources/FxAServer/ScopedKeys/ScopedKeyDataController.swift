import FxACore
import FxAStore
import Foundation
import Vapor

/// `POST /v1/account/scoped-key-data`: what a browser holding kB needs to
/// derive a relying party's scoped keys (FxA's `key_data` route). The
/// server sends the derivation inputs it owns — the scope's identifier, a
/// rotation secret and when kB last changed — and never a key: kB exists
/// only in the user's browser.
struct ScopedKeyDataController: RouteCollection {
    let authenticator: TokenAuthenticator
    let clients: any OAuthClientStore
    let keyBearingScopes: KeyBearingScopes

    /// FxA has no per-key rotation yet and sends 32 zero bytes; so do we,
    /// so that keys derived here match keys derived against FxA.
    static let keyRotationSecret = String(repeating: "0", count: 64)

    func boot(routes: any RoutesBuilder) throws {
        routes.post("v1", "account", "scoped-key-data", use: scopedKeyData)
    }

    @Sendable func scopedKeyData(_ request: Request) async throws -> [String: ScopedKeyDataEntry] {
        let session = try await authenticator.authenticateVerifiedSession(request)
        let body = try request.content.decode(ScopedKeyDataRequest.self)
        guard body.scope.utf8.count <= 256, let requested = RequestedScopes(parsing: body.scope), !requested.isEmpty else {
            throw FxAError.invalidParameter(["scope"])
        }
        let account = session.account
        guard let client = try await clients.client(id: body.client_id) else {
            throw FxAError.unknownClientID(body.client_id.hex)
        }
        let refused = OAuthGrantPolicy.refused(requested, for: client)
        guard refused.isEmpty else { throw FxAError.scopesNotAllowed(refused) }
        let scope = requested.set

        let changedAt = account.keysChangedAt.millisecondsSince1970
        let authAt = Int64(session.token.stored.createdAt.timeIntervalSince1970)
        if changedAt / 1000 > authAt { throw FxAError.staleAuthAt(authAt) }
        var entries: [String: ScopedKeyDataEntry] = [:]
        for keyScope in keyBearingScopes.keys(for: scope, client: client) {
            entries[keyScope.value] = ScopedKeyDataEntry(
                identifier: keyScope.value, keyRotationSecret: Self.keyRotationSecret, keyRotationTimestamp: changedAt)
        }
        return entries
    }
}
