import FxACore
import Foundation
import SQLKit

/// ``OAuthClientStore`` on the `oauth_clients` table (``OAuthClientRow``).
public struct SQLOAuthClientStore: OAuthClientStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func create(_ client: OAuthClientRecord) async throws {
        let sql = try database.sql()
        do {
            try await sql.insert(OAuthClientRow(client))
        } catch {
            if try await Self.row(id: client.id, on: sql) != nil { throw FxAStoreError.conflict }
            throw error
        }
    }

    /// On the read connections: every token request and authorization
    /// looks its client up.
    public func client(id: OAuthClientID) async throws -> OAuthClientRecord? {
        try await Self.row(id: id, on: database.readSQL())?.record
    }

    public func clients() async throws -> [OAuthClientRecord] {
        try await database.sql().selectRows(OAuthClientRow.self)
            .orderBy("name").orderBy("id")
            .rows(OAuthClientRow.self).compactMap(\.record)
    }

    public func clients(ownedBy owner: AccountUID) async throws -> [OAuthClientRecord] {
        try await database.sql().selectRows(OAuthClientRow.self)
            .where("owner_uid", .equal, owner.hex)
            .orderBy("name").orderBy("id")
            .rows(OAuthClientRow.self).compactMap(\.record)
    }

    /// Writes everything but the id, the secret hashes, the creation time,
    /// the owner and where it was registered.
    public func update(_ client: OAuthClientRecord) async throws {
        let row = OAuthClientRow(client)
        let updated = try await database.sql().update(OAuthClientRow.table)
            .set("name", to: row.name)
            .set("redirect_uris", to: row.redirectUris)
            .set("image_uri", to: row.imageURI)
            .set("trusted", to: row.trusted)
            .set("public_client", to: row.publicClient)
            .set("allowed_scopes", to: row.allowedScopes)
            .set("webhook_url", to: row.webhookURL)
            .set("jwt_access_tokens", to: row.jwtAccessTokens)
            .set("disabled", to: row.disabled)
            .where("id", .equal, row.id)
            .returning("id")
            .all()
        guard !updated.isEmpty else { throw FxAStoreError.notFound }
    }

    /// One statement: the right-hand sides read the row as it was.
    public func rotateSecret(id: OAuthClientID, to newHash: TokenHash) async throws {
        let updated = try await database.sql().update(OAuthClientRow.table)
            .set(SQLIdentifier("previous_secret_hash"), to: SQLIdentifier("secret_hash"))
            .set("secret_hash", to: newHash.bytes)
            .where("id", .equal, id.hex)
            .returning("id")
            .all()
        guard !updated.isEmpty else { throw FxAStoreError.notFound }
    }

    public func dropPreviousSecret(id: OAuthClientID) async throws {
        let updated = try await database.sql().update(OAuthClientRow.table)
            .set(SQLIdentifier("previous_secret_hash"), to: SQLLiteral.null)
            .where("id", .equal, id.hex)
            .returning("id")
            .all()
        guard !updated.isEmpty else { throw FxAStoreError.notFound }
    }

    /// Deletes the client with everything issued to it (codes, tokens, its
    /// pending deliveries), so nothing of a deleted client keeps working.
    public func delete(id: OAuthClientID) async throws -> Bool {
        defer { database.noteCommittedChange() }
        return try await database.transaction { sql in
            let deleted = try await sql.delete(from: OAuthClientRow.table).where("id", .equal, id.hex).returning("id").all()
            guard !deleted.isEmpty else { return false }
            for table in [OAuthTokenRow.table, OAuthCodeRow.table, AccountClientRow.table] {
                try await sql.delete(from: table).where("client_id", .equal, id.hex).run()
            }
            try await sql.raw("""
                UPDATE event_deliveries SET status = 'failed', last_error = 'client deleted', lease_owner = NULL, \
                lease_until = NULL WHERE client_id = \(bind: id.hex) AND status = 'pending'
                """).run()
            return true
        }
    }

    private static func row(id: OAuthClientID, on sql: any SQLDatabase) async throws -> OAuthClientRow? {
        try await sql.row(OAuthClientRow.self, where: "id", is: id.hex)
    }
}
