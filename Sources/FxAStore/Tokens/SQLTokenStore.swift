import FxACore
import Foundation
import SQLKit

/// ``TokenStore`` on the `auth_tokens` table (``AuthTokenRow``).
public struct SQLTokenStore: TokenStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func insert(_ token: StoredToken) async throws {
        try await database.sql().insert(AuthTokenRow(token))
    }

    /// On the read connections: every authenticated request reads its token.
    public func token(idHash: TokenHash) async throws -> StoredToken? {
        try await database.readSQL().row(AuthTokenRow.self, where: "id_hash", is: idHash.bytes)?.record
    }

    public func consume(idHash: TokenHash) async throws -> StoredToken? {
        try await database.sql().delete(from: AuthTokenRow.table)
            .where("id_hash", .equal, idHash.bytes)
            .returning(SQLLiteral.all)
            .row(AuthTokenRow.self)?.record
    }

    public func delete(idHash: TokenHash) async throws {
        defer { database.noteCommittedChange() }
        try await database.transaction { sql in
            try await sql.delete(from: AuthTokenRow.table).where("id_hash", .equal, idHash.bytes).run()
            try await SessionEndingSQL.deleteMintedTokens(session: idHash, on: sql)
        }
    }

    public func markVerified(idHash: TokenHash, method: SessionVerificationMethod) async throws {
        try await database.transaction { sql in
            try await sql.update(AuthTokenRow.table)
                .set("verified", to: true)
                .set("verification_method", to: method.rawValue)
                .where("id_hash", .equal, idHash.bytes)
                .run()
            try await sql.update(AuthTokenRow.table)
                .set("verified", to: true)
                .where("parent_id_hash", .equal, idHash.bytes)
                .run()
        }
    }

    public func markAllVerified(uid: AccountUID) async throws {
        try await database.sql().update(AuthTokenRow.table)
            .set("verified", to: true)
            .where("uid", .equal, uid.hex)
            .where("kind", .in, [FxATokenKind.sessionToken.rawValue, FxATokenKind.keyFetchToken.rawValue])
            .run()
    }

    public func forgetSecondFactor(uid: AccountUID) async throws {
        try await database.sql().update(AuthTokenRow.table)
            .set("verification_method", to: SessionVerificationMethod.emailCode.rawValue)
            .where("uid", .equal, uid.hex)
            .where("verification_method", .in, [SessionVerificationMethod.totp.rawValue, SessionVerificationMethod.recoveryCode.rawValue])
            .run()
    }

    public func tokens(uid: AccountUID, kinds: Set<FxATokenKind>) async throws -> [StoredToken] {
        guard !kinds.isEmpty else { return [] }
        return try await database.sql().selectRows(AuthTokenRow.self)
            .where("uid", .equal, uid.hex)
            .where("kind", .in, kinds.map(\.rawValue).sorted())
            .orderBy("created_at")
            .rows(AuthTokenRow.self)
            .compactMap(\.record)
    }
}
