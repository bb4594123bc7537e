import Crypto
import FxACore
import FxAStore
import Foundation
import Vapor

/// Finds the client a token request speaks for and checks its secret: in
/// the body or as HTTP Basic, never both (FxA's `lib/oauth/client.js`),
/// compared in constant time with the current and, during a rotation, the
/// previous secret's hash.
struct OAuthClientAuthenticator: Sendable {
    let clients: any OAuthClientStore

    /// The client named by `clientID`: errno 101 when there is none, 202
    /// when the operator disabled it.
    func client(_ clientID: String?) async throws -> OAuthClientRecord {
        guard let clientID else { throw FxAError.invalidOAuthParameter(["client_id"]) }
        guard let id = OAuthClientID(hex: clientID), id.hex == clientID else {
            throw FxAError.invalidOAuthParameter(["client_id"])
        }
        guard let client = try await clients.client(id: id) else { throw FxAError.unknownClient(clientID) }
        guard !client.disabled else { throw FxAError.disabledClient(clientID) }
        return client
    }

    /// The client and whether it proved its secret. `bodyClientID` and
    /// `bodySecret` are the form fields; Basic credentials win the client
    /// id when present, and sending a secret both ways is refused.
    func authenticate(
        _ request: Request, bodyClientID: String?, bodySecret: String?
    ) async throws -> (client: OAuthClientRecord, secretChecked: Bool) {
        var clientID = bodyClientID
        var secret = bodySecret
        let usedBasic = request.headers.basicAuthorization != nil
        if let basic = request.headers.basicAuthorization {
            guard bodySecret == nil else { throw FxAError.invalidOAuthParameter(["client_secret"]) }
            if let bodyClientID, bodyClientID != basic.username { throw FxAError.invalidOAuthParameter(["client_id"]) }
            clientID = basic.username
            secret = basic.password
        }
        let client: OAuthClientRecord
        do {
            client = try await self.client(clientID)
        } catch let error as FxAError where usedBasic {
            // RFC 6749 §5.2: a client that tried HTTP Basic gets 401 and a
            // Basic challenge, whatever failed (FxA: 400, for body credentials).
            throw error.challengingHTTPBasic()
        }
        guard let secret else { return (client, false) }
        guard try check(secret, against: client) else { throw FxAError.incorrectClientSecret(client.id.hex) }
        return (client, true)
    }

    private func check(_ secret: String, against client: OAuthClientRecord) throws -> Bool {
        guard let presented = OAuthClientSecret(hex: secret) else { return false }
        let hash = Data(SHA256.hash(data: presented.bytes))
        let current = client.secretHash.map { hash.constantTimeEquals($0) } ?? false
        let previous = client.previousSecretHash.map { hash.constantTimeEquals($0) } ?? false
        return current || previous
    }
}
