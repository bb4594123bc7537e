import FxACore
import FxAStore
import Foundation

/// Finds the client a request speaks for and checks its secret, compared in
/// constant time with the current and, during a rotation, the previous
/// secret's hash. The one place that decides what proves a client.
struct OAuthClientAuthenticator: Sendable {
    let clients: any OAuthClientStore

    /// The client named by `clientID`: errno 101 when there is none, 202
    /// when the operator disabled it.
    func client(_ clientID: String?) async throws -> OAuthClientRecord {
        guard let clientID else { throw FxAError.invalidOAuthParameter(["client_id"]) }
        guard let id = OAuthClientID(lowercaseHex: clientID) else {
            throw FxAError.invalidOAuthParameter(["client_id"])
        }
        guard let client = try await clients.client(id: id) else { throw FxAError.unknownClient(clientID) }
        guard !client.disabled else { throw FxAError.disabledClient(clientID) }
        return client
    }

    /// The client, proven as its kind requires: a confidential client by its
    /// secret (with PKCE or not), a public one by its id alone, since it
    /// has no secret to keep. What the code and refresh grants and RFC 7009
    /// revocation ask.
    func authenticate(_ credentials: ClientCredentials) async throws -> OAuthClientRecord {
        let (client, secretProven) = try await identify(credentials)
        if !client.publicClient, !secretProven { throw FxAError.incorrectClientSecret(client.id.hex) }
        return client
    }

    /// The client named, with the secret checked when one was sent, and
    /// whether it was: for the routes where FxA asks no more of a client
    /// (`fxa-credentials`, which then requires a public client, and destroy).
    func identify(_ credentials: ClientCredentials) async throws -> (client: OAuthClientRecord, secretProven: Bool) {
        let client: OAuthClientRecord
        do {
            client = try await self.client(credentials.clientID)
        } catch let error as FxAError where credentials.viaBasic {
            // RFC 6749 §5.2: a client that tried HTTP Basic gets 401 and a
            // Basic challenge, whatever failed (FxA: 400, for body credentials).
            throw error.challengingHTTPBasic()
        }
        guard let secret = credentials.secret else { return (client, false) }
        guard check(secret, against: client) else { throw FxAError.incorrectClientSecret(client.id.hex) }
        return (client, true)
    }

    private func check(_ secret: String, against client: OAuthClientRecord) -> Bool {
        guard let presented = OAuthClientSecret(hex: secret) else { return false }
        let hash = TokenHash(of: presented).bytes
        let current = client.secretHash.map { hash.constantTimeEquals($0.bytes) } ?? false
        let previous = client.previousSecretHash.map { hash.constantTimeEquals($0.bytes) } ?? false
        return current || previous
    }
}
