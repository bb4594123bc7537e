import FluentKit
import SQLKit
import FxACore
import Foundation

/// The `oauth_clients` table.
final class OAuthClientModel: Model, @unchecked Sendable {
    static let schema = "oauth_clients"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "redirect_uris") var redirectURIs: [String]
    @OptionalField(key: "image_uri") var imageURI: String?
    @Field(key: "trusted") var trusted: Bool
    @Field(key: "public_client") var publicClient: Bool
    @Field(key: "allowed_scopes") var allowedScopes: [String]
    @OptionalField(key: "webhook_url") var webhookURL: String?
    @Field(key: "jwt_access_tokens") var jwtAccessTokens: Bool
    @OptionalField(key: "secret_hash") var secretHash: Data?
    @OptionalField(key: "previous_secret_hash") var previousSecretHash: Data?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "owner_uid") var ownerUID: String?
    @Field(key: "registered_in_console") var registeredInConsole: Bool
    @Field(key: "disabled") var disabled: Bool

    init() {}

    init(_ client: OAuthClientRecord) {
        id = client.id.hex
        apply(client)
        secretHash = client.secretHash
        previousSecretHash = client.previousSecretHash
        createdAt = client.createdAt
        ownerUID = client.ownerUID?.hex
        registeredInConsole = client.registeredInConsole
    }

    /// Copies everything but the id, the secret hashes and the creation time.
    func apply(_ client: OAuthClientRecord) {
        name = client.name
        redirectURIs = client.redirectURIs
        imageURI = client.imageURI
        trusted = client.trusted
        publicClient = client.publicClient
        allowedScopes = client.allowedScopes
        webhookURL = client.webhookURL
        jwtAccessTokens = client.jwtAccessTokens
        disabled = client.disabled
    }

    var record: OAuthClientRecord? {
        guard let id, let clientID = OAuthClientID(hex: id) else { return nil }
        return OAuthClientRecord(
            id: clientID, name: name, redirectURIs: redirectURIs, imageURI: imageURI, trusted: trusted,
            publicClient: publicClient, allowedScopes: allowedScopes, webhookURL: webhookURL,
            jwtAccessTokens: jwtAccessTokens, secretHash: secretHash, previousSecretHash: previousSecretHash,
            createdAt: createdAt, ownerUID: ownerUID.flatMap { AccountUID(hex: $0) }, registeredInConsole: registeredInConsole,
            disabled: disabled)
    }
}

/// Creates `oauth_clients`.
struct CreateOAuthClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthClientModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("redirect_uris", .array(of: .string), .required)
            .field("image_uri", .string)
            .field("trusted", .bool, .required)
            .field("public_client", .bool, .required)
            .field("allowed_scopes", .array(of: .string), .required)
            .field("webhook_url", .string)
            .field("jwt_access_tokens", .bool, .required)
            .field("secret_hash", .data)
            .field("previous_secret_hash", .data)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthClientModel.schema).delete()
    }
}

/// ``OAuthClientStore`` through Fluent.
public struct FluentOAuthClientStore: OAuthClientStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func create(_ client: OAuthClientRecord) async throws {
        let db = try database.handle()
        do {
            try await OAuthClientModel(client).create(on: db)
        } catch {
            if try await OAuthClientModel.find(client.id.hex, on: db) != nil { throw FxAStoreError.conflict }
            throw error
        }
    }

    /// One plain SQL statement: every token request and authorization
    /// looks its client up, so this skips Fluent's model reflection.
    public func client(id: OAuthClientID) async throws -> OAuthClientRecord? {
        let query: SQLQueryString = """
            SELECT id, name, redirect_uris, image_uri, trusted, public_client, allowed_scopes, webhook_url, \
            jwt_access_tokens, secret_hash, previous_secret_hash, created_at, owner_uid, registered_in_console, \
            disabled FROM oauth_clients WHERE id = \(bind: id.hex)
            """
        guard let row = try await database.readSQL().raw(query).first() else { return nil }
        return OAuthClientRecord(
            id: id, name: try row.decode(column: "name", as: String.self),
            redirectURIs: try row.decode(column: "redirect_uris", as: [String].self),
            imageURI: try row.decode(column: "image_uri", as: String?.self),
            trusted: try row.decode(column: "trusted", as: Bool.self),
            publicClient: try row.decode(column: "public_client", as: Bool.self),
            allowedScopes: try row.decode(column: "allowed_scopes", as: [String].self),
            webhookURL: try row.decode(column: "webhook_url", as: String?.self),
            jwtAccessTokens: try row.decode(column: "jwt_access_tokens", as: Bool.self),
            secretHash: try row.decode(column: "secret_hash", as: Data?.self),
            previousSecretHash: try row.decode(column: "previous_secret_hash", as: Data?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            ownerUID: try row.decode(column: "owner_uid", as: String?.self).flatMap { AccountUID(hex: $0) },
            registeredInConsole: try row.decode(column: "registered_in_console", as: Bool.self),
            disabled: try row.decode(column: "disabled", as: Bool.self))
    }

    public func clients() async throws -> [OAuthClientRecord] {
        try await OAuthClientModel.query(on: database.handle()).sort(\.$name).sort(\.$id).all().compactMap(\.record)
    }

    public func clients(ownedBy owner: AccountUID) async throws -> [OAuthClientRecord] {
        try await OAuthClientModel.query(on: database.handle()).filter(\.$ownerUID == owner.hex)
            .sort(\.$name).sort(\.$id).all().compactMap(\.record)
    }

    public func update(_ client: OAuthClientRecord) async throws {
        let db = try database.handle()
        guard let model = try await OAuthClientModel.find(client.id.hex, on: db) else { throw FxAStoreError.notFound }
        model.apply(client)
        try await model.save(on: db)
    }

    public func rotateSecret(id: OAuthClientID, to newHash: Data) async throws {
        try await database.handle().transaction { tx in
            guard let model = try await OAuthClientModel.find(id.hex, on: tx) else { throw FxAStoreError.notFound }
            model.previousSecretHash = model.secretHash
            model.secretHash = newHash
            try await model.save(on: tx)
        }
    }

    public func dropPreviousSecret(id: OAuthClientID) async throws {
        let db = try database.handle()
        guard let model = try await OAuthClientModel.find(id.hex, on: db) else { throw FxAStoreError.notFound }
        model.previousSecretHash = nil
        try await model.save(on: db)
    }

    /// Deletes the client with everything issued to it (codes, tokens, its
    /// pending deliveries), so nothing of a deleted client keeps working.
    public func delete(id: OAuthClientID) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.handle().transaction { tx in
            guard let model = try await OAuthClientModel.find(id.hex, on: tx) else { return false }
            try await model.delete(on: tx)
            let sql = sqlDatabase(tx)
            try await sql.raw("DELETE FROM oauth_tokens WHERE client_id = \(bind: id.hex)").run()
            try await sql.raw("DELETE FROM oauth_codes WHERE client_id = \(bind: id.hex)").run()
            try await sql.raw("DELETE FROM account_clients WHERE client_id = \(bind: id.hex)").run()
            try await sql.raw("""
                UPDATE event_deliveries SET status = 'failed', last_error = 'client deleted', lease_owner = NULL, \
                lease_until = NULL WHERE client_id = \(bind: id.hex) AND status = 'pending'
                """).run()
            return true
        }
    }
}
