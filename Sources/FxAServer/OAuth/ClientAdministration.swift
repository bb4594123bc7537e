import Crypto
import FxACore
import FxAStore
import Foundation

/// What is done to OAuth clients, by the operator (`fxa-server client …`)
/// and by their owners in the developer console (``ConsoleController``,
/// which adds its own limits). Secrets are generated here, returned once,
/// and stored only as SHA-256.
public struct ClientAdministration: Sendable {
    let clients: any OAuthClientStore
    let clock: any WallClock

    /// The fields an operator sets when registering a client.
    public struct Registration: Sendable {
        public var name: String
        public var redirectURIs: [String]
        public var allowedScopes: [String]
        public var publicClient: Bool
        public var trusted: Bool
        public var imageURI: String?
        public var webhookURL: String?
        public var jwtAccessTokens: Bool
        /// The console user registering it; `nil` for the operator.
        public var ownerUID: AccountUID?
        /// The client id to use, chosen when the form was shown, so that the
        /// same form sent twice (a reload of the answer) registers one
        /// client, the second send failing with ``FxAStoreError/conflict``;
        /// `nil` for a random one.
        public var id: OAuthClientID?

        public init(
            name: String, redirectURIs: [String], allowedScopes: [String], publicClient: Bool, trusted: Bool,
            imageURI: String?, webhookURL: String?, jwtAccessTokens: Bool, ownerUID: AccountUID? = nil
        ) {
            self.name = name
            self.redirectURIs = redirectURIs
            self.allowedScopes = allowedScopes
            self.publicClient = publicClient
            self.trusted = trusted
            self.imageURI = imageURI
            self.webhookURL = webhookURL
            self.jwtAccessTokens = jwtAccessTokens
            self.ownerUID = ownerUID
        }
    }

    /// Registers a client. Confidential clients get a secret, returned
    /// here and never again; public clients get none.
    public func create(_ registration: Registration) async throws -> (OAuthClientRecord, OAuthClientSecret?) {
        try validate(name: registration.name, redirectURIs: registration.redirectURIs,
                     scopes: registration.allowedScopes, trusted: registration.trusted, publicClient: registration.publicClient,
                     imageURI: registration.imageURI, webhookURL: registration.webhookURL)
        let secret = registration.publicClient ? nil : OAuthClientSecret.random()
        let record = OAuthClientRecord(
            id: registration.id ?? .random(), name: registration.name, redirectURIs: registration.redirectURIs,
            imageURI: registration.imageURI, trusted: registration.trusted, publicClient: registration.publicClient,
            allowedScopes: registration.allowedScopes, webhookURL: registration.webhookURL,
            jwtAccessTokens: registration.jwtAccessTokens, secretHash: secret.map { TokenHash(of: $0) }, createdAt: clock.now(),
            ownerUID: registration.ownerUID)
        try await clients.create(record)
        return (record, secret)
    }

    public func list() async throws -> [OAuthClientRecord] {
        try await clients.clients()
    }

    /// The clients `owner` registered in the console.
    public func list(ownedBy owner: AccountUID) async throws -> [OAuthClientRecord] {
        try await clients.clients(ownedBy: owner)
    }

    public func show(_ id: OAuthClientID) async throws -> OAuthClientRecord {
        try await find(id)
    }

    /// Applies `change` to the stored client and validates the result.
    public func update(_ id: OAuthClientID, _ change: (inout OAuthClientRecord) -> Void) async throws -> OAuthClientRecord {
        let before = try await find(id)
        var client = before
        change(&client)
        // A built-in client's own redirect URIs (a urn: for Firefox) are
        // ones no registration may use; the rest of an update is checked.
        let shipped = FirstPartyClients.client(id)?.redirectURIs ?? []
        try validate(name: client.name, redirectURIs: client.redirectURIs.filter { !shipped.contains($0) },
                     scopes: client.allowedScopes, trusted: client.trusted, publicClient: client.publicClient, imageURI: client.imageURI,
                     webhookURL: client.webhookURL, requireRedirectURI: shipped.isEmpty,
                     // A registration from before the scope rules stays
                     // editable (and can be disabled in an incident) until
                     // its scopes or trust change.
                     checkScopeRules: client.allowedScopes != before.allowedScopes || client.trusted != before.trusted)
        try await clients.update(client)
        return try await find(id)
    }

    /// A new secret; the old one keeps working until
    /// ``forgetPreviousSecret(_:)`` or the next rotation.
    public func rotateSecret(_ id: OAuthClientID) async throws -> OAuthClientSecret {
        let client = try await find(id)
        guard !client.publicClient else {
            throw FxAError(status: 400, errno: .auth(.invalidParameter), message: "a public client has no secret to rotate")
        }
        let secret = OAuthClientSecret.random()
        try await clients.rotateSecret(id: id, to: TokenHash(of: secret))
        return secret
    }

    public func forgetPreviousSecret(_ id: OAuthClientID) async throws {
        _ = try await find(id)
        try await clients.dropPreviousSecret(id: id)
    }

    /// Deletes a client with its tokens and codes. Firefox's built-in
    /// clients cannot be deleted (every Firefox would stop signing in, and
    /// the next start could not tell a deletion from an old database):
    /// ``setDisabled(_:_:)`` turns one off instead.
    public func delete(_ id: OAuthClientID) async throws {
        guard !FirstPartyClients.contains(id) else {
            throw FxAError(
                status: 400, errno: .auth(.invalidParameter),
                message: "\(id.hex) is a built-in Firefox client and cannot be deleted; disable it instead (fxa-server client disable --id \(id.hex))")
        }
        guard try await clients.delete(id: id) else { throw Self.unknown(id) }
    }

    /// Turns a client off or on again. A disabled client gets no new code,
    /// token or refresh (errno 202); its tokens already issued expire.
    public func setDisabled(_ id: OAuthClientID, _ disabled: Bool) async throws -> OAuthClientRecord {
        try await update(id) { $0.disabled = disabled }
    }

    private func find(_ id: OAuthClientID) async throws -> OAuthClientRecord {
        guard let client = try await clients.client(id: id) else { throw Self.unknown(id) }
        return client
    }

    private static func unknown(_ id: OAuthClientID) -> FxAError {
        FxAError(status: 400, errno: .auth(.unknownClientID), message: "no client with id \(id.hex)")
    }

    private func validate(
        name: String, redirectURIs: [String], scopes: [String], trusted: Bool, publicClient: Bool, imageURI: String?,
        webhookURL: String?, requireRedirectURI: Bool = true, checkScopeRules: Bool = true
    ) throws {
        try ClientRegistration.checkName(name)
        guard !redirectURIs.isEmpty || !requireRedirectURI else {
            throw FxAError(status: 400, errno: .auth(.missingParameter), message: "a client needs at least one redirect URI")
        }
        for uri in redirectURIs { try ClientRegistration.checkRedirectURI(uri, publicClient: publicClient) }
        for scope in scopes { try ClientRegistration.checkScope(scope) }
        if checkScopeRules { try ClientScopeRules.check(scopes, trusted: trusted) }
        if let imageURI { try ClientRegistration.checkWebURL(imageURI, field: "image URI") }
        if let webhookURL { try ClientRegistration.checkWebURL(webhookURL, field: "webhook URL") }
    }
}
