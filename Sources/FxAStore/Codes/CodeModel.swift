import FluentKit
import FxACore
import SQLKit
import Foundation

/// The `verification_codes` table, keyed by "<uid>:<purpose>".
final class CodeModel: Model, @unchecked Sendable {
    static let schema = "verification_codes"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "uid") var uid: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "code_hash") var codeHash: Data
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "failed_attempts") var failedAttempts: Int

    init() {}

    static func key(_ uid: AccountUID, _ purpose: VerificationPurpose) -> String {
        uid.hex + ":" + purpose.rawValue
    }

    init(_ code: StoredCode) {
        id = Self.key(code.uid, code.purpose)
        uid = code.uid.hex
        purpose = code.purpose.rawValue
        codeHash = code.codeHash
        expiresAt = code.expiresAt
        failedAttempts = code.failedAttempts
    }

    var code: StoredCode? {
        guard let uid = AccountUID(hex: uid), let purpose = VerificationPurpose(rawValue: purpose) else { return nil }
        return StoredCode(uid: uid, purpose: purpose, codeHash: codeHash, expiresAt: expiresAt, failedAttempts: failedAttempts)
    }
}

/// Creates `verification_codes`.
struct CreateVerificationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CodeModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("purpose", .string, .required)
            .field("code_hash", .data, .required)
            .field("expires_at", .datetime, .required)
            .field("failed_attempts", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CodeModel.schema).delete()
    }
}

/// ``CodeStore`` through Fluent.
public struct FluentCodeStore: CodeStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func put(_ code: StoredCode) async throws {
        let key = CodeModel.key(code.uid, code.purpose)
        try await database.handle().transaction { tx in
            try await CodeModel.query(on: tx).filter(\.$id == key).delete()
            try await CodeModel(code).create(on: tx)
        }
    }

    public func code(uid: AccountUID, purpose: VerificationPurpose) async throws -> StoredCode? {
        try await CodeModel.find(CodeModel.key(uid, purpose), on: database.handle())?.code
    }

    public func recordFailedAttempt(uid: AccountUID, purpose: VerificationPurpose) async throws -> Int {
        let key = CodeModel.key(uid, purpose)
        try await database.sql().update(CodeModel.schema)
            .set(SQLIdentifier("failed_attempts"), to: SQLRaw("failed_attempts + 1"))
            .where("key", .equal, SQLBind(key))
            .run()
        return try await CodeModel.find(key, on: database.handle())?.failedAttempts ?? 0
    }

    public func delete(uid: AccountUID, purpose: VerificationPurpose) async throws {
        try await CodeModel.query(on: database.handle()).filter(\.$id == CodeModel.key(uid, purpose)).delete()
    }
}
