import FluentKit
import FxACore
import Foundation
import SQLKit

/// ``SecondaryEmailStore`` through Fluent. A partial unique index
/// (`normalized_email WHERE verified`) makes "verified by one account only"
/// hold whatever happens; on PostgreSQL, writes about one address also take
/// a transaction-scoped advisory lock on it (and adds lock the account row),
/// so concurrent verifications queue instead of deadlocking and concurrent
/// adds cannot pass the limit together. SQLite has one writer: its
/// transactions are serial already.
public struct FluentSecondaryEmailStore: SecondaryEmailStore {
    let database: StoreDatabase

    /// The store on `database`.
    public init(database: StoreDatabase) {
        self.database = database
    }

    public func secondaryEmails(uid: AccountUID) async throws -> [SecondaryEmail] {
        try await SecondaryEmailModel.query(on: database.handle()).filter(\.$uid == uid.hex).sort(\.$createdAt).all().map(\.record)
    }

    public func addSecondaryEmail(_ email: String, uid: AccountUID, at date: Date, limit: Int) async throws {
        let normalized = EmailAddress.normalize(email)
        do {
            try await add(email, normalized: normalized, uid: uid, at: date, limit: limit)
        } catch let refusal as SecondaryEmailRefusal {
            throw refusal
        } catch {
            // A concurrent identical add won the (uid, address) unique key.
            if try await Self.row(normalized, uid: uid, on: database.handle()) != nil { throw SecondaryEmailRefusal.alreadyAdded }
            throw error
        }
    }

    private func add(_ email: String, normalized: String, uid: AccountUID, at date: Date, limit: Int) async throws {
        try await database.handle().transaction { tx in
            try await lock(address: normalized, account: uid, on: tx)
            if let owner = try await AccountModel.query(on: tx).filter(\.$normalizedEmail == normalized).first() {
                throw owner.id == uid.hex ? SecondaryEmailRefusal.isOwnPrimary : SecondaryEmailRefusal.isAnotherPrimary
            }
            let claims = try await SecondaryEmailModel.query(on: tx).filter(\.$normalizedEmail == normalized).all()
            if claims.contains(where: { $0.uid == uid.hex }) { throw SecondaryEmailRefusal.alreadyAdded }
            if claims.contains(where: \.verified) { throw SecondaryEmailRefusal.verifiedElsewhere }
            guard try await SecondaryEmailModel.query(on: tx).filter(\.$uid == uid.hex).count() < limit else {
                throw SecondaryEmailRefusal.tooMany
            }
            try await SecondaryEmailModel(uid: uid.hex, email: email, verified: false, createdAt: date).create(on: tx)
        }
    }

    public func markSecondaryEmailVerified(normalizedEmail: String, uid: AccountUID) async throws {
        do {
            try await database.handle().transaction { tx in
                try await lock(address: normalizedEmail, account: nil, on: tx)
                guard let row = try await Self.row(normalizedEmail, uid: uid, on: tx) else {
                    // Gone because another account verified it first?
                    let taken = try await SecondaryEmailModel.query(on: tx)
                        .filter(\.$normalizedEmail == normalizedEmail).filter(\.$verified == true).count() > 0
                    throw taken ? SecondaryEmailRefusal.verifiedElsewhere : SecondaryEmailRefusal.notFound
                }
                if row.verified { return }
                if try await AccountModel.query(on: tx).filter(\.$normalizedEmail == normalizedEmail).count() > 0 {
                    throw SecondaryEmailRefusal.isAnotherPrimary
                }
                // An UPDATE that must find the row: a concurrent verification
                // by another account may have deleted it since it was read.
                let updated = try await sqlDatabase(tx).raw("""
                    UPDATE account_emails SET verified = \(bind: true), verified_at = \(bind: Date()) \
                    WHERE uid = \(bind: uid.hex) AND normalized_email = \(bind: normalizedEmail) RETURNING id
                    """).first()
                guard updated != nil else { throw SecondaryEmailRefusal.verifiedElsewhere }
                // Nobody else's unverified claim can ever be verified now.
                // (Only unverified ones: a racing verifier's row is left for
                // the unique index to decide.)
                try await SecondaryEmailModel.query(on: tx)
                    .filter(\.$normalizedEmail == normalizedEmail).filter(\.$uid != uid.hex).filter(\.$verified == false).delete()
            }
        } catch let error as SecondaryEmailRefusal {
            throw error
        } catch {
            // The partial unique index: another account verified it first.
            if try await SecondaryEmailModel.query(on: database.handle())
                .filter(\.$normalizedEmail == normalizedEmail).filter(\.$verified == true).filter(\.$uid != uid.hex).count() > 0 {
                throw SecondaryEmailRefusal.verifiedElsewhere
            }
            throw error
        }
    }

    public func removeSecondaryEmail(normalizedEmail: String, uid: AccountUID) async throws {
        let db = try database.handle()
        guard let row = try await Self.row(normalizedEmail, uid: uid, on: db) else { throw SecondaryEmailRefusal.notFound }
        try await row.delete(on: db)
    }

    public func makePrimary(normalizedEmail: String, uid: AccountUID, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        try await database.handle().transaction { tx in
            try await lock(address: normalizedEmail, account: uid, on: tx)
            guard let row = try await Self.row(normalizedEmail, uid: uid, on: tx) else { throw SecondaryEmailRefusal.notFound }
            guard row.verified else { throw SecondaryEmailRefusal.unverified }
            guard let account = try await AccountModel.find(uid.hex, on: tx) else { throw FxAStoreError.notFound }
            let oldPrimary = account.primaryEmail
            try await row.delete(on: tx)
            account.primaryEmail = row.email
            account.normalizedEmail = row.normalizedEmail
            account.profileChangedAt = event.occurredAt
            try await account.save(on: tx)
            try await SecondaryEmailModel(uid: uid.hex, email: oldPrimary, verified: true, createdAt: Date()).create(on: tx)
            try await OutboxSQL.record(event, on: tx)
        }
    }

    public func isVerifiedSecondaryEmail(normalizedEmail: String) async throws -> Bool {
        try await SecondaryEmailModel.query(on: database.handle())
            .filter(\.$normalizedEmail == normalizedEmail).filter(\.$verified == true).count() > 0
    }

    /// PostgreSQL: serializes the transactions about one address (and, with
    /// `account`, about one account) until commit. No-op on SQLite.
    private func lock(address normalizedEmail: String, account: AccountUID?, on tx: any Database) async throws {
        guard database.location.isPostgres else { return }
        let sql = sqlDatabase(tx)
        if let account {
            try await sql.raw("SELECT uid FROM accounts WHERE uid = \(bind: account.hex) FOR UPDATE").run()
        }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "account_emails:" + normalizedEmail)))").run()
    }

    private static func row(_ normalizedEmail: String, uid: AccountUID, on db: any Database) async throws -> SecondaryEmailModel? {
        try await SecondaryEmailModel.query(on: db).filter(\.$uid == uid.hex).filter(\.$normalizedEmail == normalizedEmail).first()
    }
}
