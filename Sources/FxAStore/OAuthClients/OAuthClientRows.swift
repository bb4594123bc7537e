import FxACore
import Foundation

/// A row of `oauth_clients`: a registered relying party (``OAuthClientRecord``).
struct OAuthClientRow: TableRow {
    static let table = "oauth_clients"

    var id: String
    var name: String
    /// `redirect_uris` (spelled so the column name comes out right).
    var redirectUris: [String]
    var imageURI: String?
    var trusted: Bool
    var publicClient: Bool
    var allowedScopes: [String]
    var webhookURL: String?
    var jwtAccessTokens: Bool
    var secretHash: Data?
    var previousSecretHash: Data?
    var createdAt: Date
    var ownerUID: String?
    var registeredInConsole: Bool
    var disabled: Bool

    init(_ client: OAuthClientRecord) {
        id = client.id.hex
        name = client.name
        redirectUris = client.redirectURIs
        imageURI = client.imageURI
        trusted = client.trusted
        publicClient = client.publicClient
        allowedScopes = client.allowedScopes
        webhookURL = client.webhookURL
        jwtAccessTokens = client.jwtAccessTokens
        secretHash = client.secretHash?.bytes
        previousSecretHash = client.previousSecretHash?.bytes
        createdAt = client.createdAt
        ownerUID = client.ownerUID?.hex
        registeredInConsole = client.registeredInConsole
        disabled = client.disabled
    }

    /// The stored client; `nil` only for a row this code could not have written.
    var record: OAuthClientRecord? {
        guard let clientID = OAuthClientID(hex: id) else { return nil }
        return OAuthClientRecord(
            id: clientID, name: name, redirectURIs: redirectUris, imageURI: imageURI, trusted: trusted,
            publicClient: publicClient, allowedScopes: allowedScopes, webhookURL: webhookURL,
            jwtAccessTokens: jwtAccessTokens, secretHash: secretHash.flatMap { TokenHash(bytes: $0) },
            previousSecretHash: previousSecretHash.flatMap { TokenHash(bytes: $0) },
            createdAt: createdAt, ownerUID: ownerUID.flatMap { AccountUID(hex: $0) }, registeredInConsole: registeredInConsole,
            disabled: disabled)
    }
}
