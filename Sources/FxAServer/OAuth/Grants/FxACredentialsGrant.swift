import FxACore
import FxAStore
import Foundation

/// `grant_type=fxa-credentials`, FxA's own: a verified session (Firefox's)
/// asks for tokens directly, for clients FxA calls `canGrant` (here: public
/// clients the operator marked trusted, such as a browser), with
/// `access_type=offline` for a refresh token. The tokens die with the
/// session that minted them.
struct FxACredentialsGrant: Sendable {
    let clients: OAuthClientAuthenticator
    let minter: TokenMinter
    /// A session below its account's level mints nothing.
    let sessionRule: VerifiedSessionRule
    let clock: any WallClock

    /// The grant's fields of the form, checked.
    struct Parameters: Sendable {
        let scope: RequestedScopes
        let offline: Bool

        init(form: TokenRequestForm) throws {
            guard let text = form.scope, let scope = RequestedScopes(parsing: text), !scope.isEmpty else {
                throw FxAError.invalidOAuthParameter(["scope"])
            }
            self.scope = scope
            offline = try AuthorizationParameters.offline(form.access_type)
        }
    }

    func exchange(
        _ parameters: Parameters, client credentials: ClientCredentials, ttl: Int, session: AuthenticatedToken
    ) async throws -> TokenResponse {
        let (client, _) = try await clients.identify(credentials)
        guard client.publicClient else { throw FxAError.notPublicClient() }
        guard client.trusted else { throw FxAError.invalidGrantType() }
        guard session.stored.verified else { throw FxAError.unverifiedSession() }
        try await sessionRule.requireAccountLevel(session.stored)
        try OAuthGrantPolicy.check(parameters.scope, for: client)
        let now = clock.now()
        let grant = TokenMinter.Grant(
            client: client, uid: session.uid, scope: parameters.scope.set, authAt: session.stored.createdAt,
            session: session.idHash)
        // The refresh token first, so the access token issued beside it can
        // name it as its parent and dies when it is revoked (RFC 7009 §2.1).
        let refresh = parameters.offline ? try await minter.issueRefreshToken(grant, at: now) : nil
        var response = try await minter.issueAccessToken(grant, ttl: ttl, parent: refresh?.hash, at: now)
        response.auth_at = Int64(session.stored.createdAt.timeIntervalSince1970)
        response.refresh_token = refresh?.token
        let assurance = SessionAssurance(verified: session.stored.verified, method: session.stored.verificationMethod)
        response.id_token = try await minter.idToken(
            for: response, grant, amr: assurance.authenticationMethods, aal: assurance.level, nonce: nil, at: now)
        return response
    }
}
