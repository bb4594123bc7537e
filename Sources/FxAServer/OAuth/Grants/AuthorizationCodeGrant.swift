import Crypto
import FxACore
import FxAStore
import Foundation

/// `grant_type=authorization_code`: trades a code (with the client's
/// secret or a PKCE verifier) for tokens, with the checks of RFC 6749,
/// RFC 7636 and RFC 9700 in FxA's order and errnos. The code is burnt and
/// the tokens stored in one commit.
struct AuthorizationCodeGrant: Sendable {
    let clients: OAuthClientAuthenticator
    let grants: any OAuthGrantStore
    let minter: TokenMinter
    let clock: any WallClock

    /// The grant's fields of the form, checked.
    struct Parameters: Sendable {
        let code: Hex32
        let verifier: String?
        let redirectURI: String?

        init(form: TokenRequestForm) throws {
            guard let text = form.code, let code = Hex32(lowercaseHex: text) else {
                throw FxAError.invalidOAuthParameter(["code"])
            }
            self.code = code
            verifier = try form.code_verifier.map(Self.checkedVerifier)
            redirectURI = form.redirect_uri
        }

        /// RFC 7636 §4.1: 43 to 128 unreserved characters.
        private static func checkedVerifier(_ verifier: String) throws -> String {
            guard (43...128).contains(verifier.count),
                  verifier.allSatisfy({ AuthorizationParameters.isBase64URL($0) || $0 == "." || $0 == "~" })
            else { throw FxAError.invalidOAuthParameter(["code_verifier"]) }
            return verifier
        }
    }

    func exchange(_ parameters: Parameters, client credentials: ClientCredentials, ttl: Int) async throws -> TokenResponse {
        let client = try await clients.authenticate(credentials)
        let now = clock.now()
        let codeHash = TokenHash(of: parameters.code)
        let access = Hex32.random()
        let refresh = Hex32.random()
        // The checks and the tokens go into the store's redemption, so the
        // code is burnt and the tokens stored in one commit.
        let outcome = try await grants.redeemCode(hash: codeHash, at: now) { record in
            try Self.check(record, client: client, parameters: parameters, at: now)
            let grant = Self.grant(of: record, client: client)
            var tokens = [TokenMinter.accessRecord(access, grant, ttl: ttl, parent: nil, at: now)]
            if record.offline { tokens.append(TokenMinter.refreshRecord(refresh, grant, at: now)) }
            return tokens
        }
        let record: OAuthCodeRecord
        switch outcome {
        case .unknown:
            throw FxAError.unknownCode()
        case .replayed:
            // RFC 6749 §4.1.2: a second use revokes what the first one issued.
            try await grants.deleteTokens(grantCodeHash: codeHash)
            throw FxAError.unknownCode()
        case .redeemed(let redeemed):
            record = redeemed
        }
        let grant = Self.grant(of: record, client: client)
        var response = try await minter.response(for: access, grant, ttl: ttl, at: now)
        response.auth_at = Int64(record.authAt.timeIntervalSince1970)
        response.keys_jwe = record.keysJWE
        if record.offline { response.refresh_token = refresh.hex }
        response.id_token = try await minter.idToken(
            for: response, grant, amr: record.amr, aal: record.aal, nonce: record.nonce, at: now)
        return response
    }

    private static func grant(of record: OAuthCodeRecord, client: OAuthClientRecord) -> TokenMinter.Grant {
        TokenMinter.Grant(client: client, uid: record.uid, scope: record.scope, authAt: record.authAt, grantCode: record.codeHash)
    }

    /// FxA's checks on a redeemed code, in FxA's order: the client it was
    /// issued to, its age, PKCE, and the redirect URI it was bound to.
    private static func check(
        _ record: OAuthCodeRecord, client: OAuthClientRecord, parameters: Parameters, at now: Date
    ) throws {
        guard record.clientID == client.id else { throw FxAError.codeOfAnotherClient() }
        guard now.timeIntervalSince(record.createdAt) <= AuthorizationCodeIssuer.codeLifetime else { throw FxAError.expiredCode() }
        switch (record.codeChallenge, parameters.verifier) {
        case (nil, nil): break
        case (let challenge?, let verifier?):
            let computed = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString
            guard Data(computed.utf8).constantTimeEquals(Data(challenge.utf8)) else { throw FxAError.incorrectCodeChallenge() }
        case (_?, nil): throw FxAError.missingPKCEParameters()
        case (nil, _?): throw FxAError.incorrectCodeChallenge()
        }
        // FxA accepts a token request without `redirect_uri` (PyFxA's
        // `trade_code` sends none) where RFC 6749 §4.1.3 requires it when
        // the authorization named one: the URI was matched exactly against
        // the registration at authorization, so the code can only have gone
        // to the client's own URI. One that is sent must be the code's.
        guard let given = parameters.redirectURI else { return }
        let bound = record.redirectURI.map { given == $0 } ?? client.redirectURIs.contains(given)
        guard bound else { throw FxAError.redirectURIMismatch(given) }
    }
}
