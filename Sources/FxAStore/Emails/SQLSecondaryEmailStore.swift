import FxACore
import Foundation
import SQLKit

/// ``SecondaryEmailStore`` on the `account_emails` table
/// (``SecondaryEmailRow``). A partial unique index
/// (`normalized_email WHERE verified`) makes "verified by one account only"
/// hold whatever happens; on PostgreSQL, writes about one address also take
/// a transaction-scoped advisory lock on it (and adds lock the account row),
/// so concurrent verifications queue instead of deadlocking and concurrent
/// adds cannot pass the limit together. SQLite has one writer: its
/// transactions are serial already.
public struct SQLSecondaryEmailStore: SecondaryEmailStore {
    let database: StoreDatabase

    /// The store on `database`.
    public init(database: StoreDatabase) {
        self.database = database
    }

    public func secondaryEmails(uid: AccountUID) async throws -> [SecondaryEmail] {
        try await database.sql().selectRows(SecondaryEmailRow.self)
            .where("uid", .equal, uid.hex)
            .orderBy("created_at")
            .rows(SecondaryEmailRow.self)
            .map(\.record)
    }

    public func addSecondaryEmail(_ email: String, uid: AccountUID, at date: Date, limit: Int) async throws {
        let normalized = EmailAddress.normalize(email)
        do {
            try await add(email, normalized: normalized, uid: uid, at: date, limit: limit)
        } catch let refusal as SecondaryEmailRefusal {
            throw refusal
        } catch {
            // A concurrent identical add won the (uid, address) unique key.
            if try await Self.row(normalized, uid: uid, on: database.sql()) != nil { throw SecondaryEmailRefusal.alreadyAdded }
            throw error
        }
    }

    private func add(_ email: String, normalized: String, uid: AccountUID, at date: Date, limit: Int) async throws {
        let isPostgres = database.location.isPostgres
        try await database.transaction { sql in
            try await Self.lock(address: normalized, account: uid, on: sql, isPostgres: isPostgres)
            if let owner = try await sql.selectRows(AccountRow.self).where("normalized_email", .equal, normalized)
                .row(AccountRow.self) {
                throw owner.uid == uid.hex ? SecondaryEmailRefusal.isOwnPrimary : SecondaryEmailRefusal.isAnotherPrimary
            }
            let claims = try await Self.claims(normalized, on: sql).rows(SecondaryEmailRow.self)
            if claims.contains(where: { $0.uid == uid.hex }) { throw SecondaryEmailRefusal.alreadyAdded }
            if claims.contains(where: \.verified) { throw SecondaryEmailRefusal.verifiedElsewhere }
            let count = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(SecondaryEmailRow.table).where("uid", .equal, uid.hex)
                .first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < limit else { throw SecondaryEmailRefusal.tooMany }
            try await sql.insert(SecondaryEmailRow(uid: uid, email: email, verified: false, createdAt: date))
        }
    }

    public func markSecondaryEmailVerified(normalizedEmail: String, uid: AccountUID) async throws {
        let isPostgres = database.location.isPostgres
        do {
            try await database.transaction { sql in
                try await Self.lock(address: normalizedEmail, account: nil, on: sql, isPostgres: isPostgres)
                guard let row = try await Self.row(normalizedEmail, uid: uid, on: sql) else {
                    // Gone because another account verified it first?
                    let taken = try await Self.claims(normalizedEmail, on: sql).where("verified", .equal, true)
                        .row(SecondaryEmailRow.self) != nil
                    throw taken ? SecondaryEmailRefusal.verifiedElsewhere : SecondaryEmailRefusal.notFound
                }
                if row.verified { return }
                if try await sql.selectRows(AccountRow.self).where("normalized_email", .equal, normalizedEmail)
                    .row(AccountRow.self) != nil {
                    throw SecondaryEmailRefusal.isAnotherPrimary
                }
                // An UPDATE that must find the row: a concurrent verification
                // by another account may have deleted it since it was read.
                let updated = try await sql.update(SecondaryEmailRow.table)
                    .set("verified", to: true)
                    .set("verified_at", to: Date())
                    .where("uid", .equal, uid.hex)
                    .where("normalized_email", .equal, normalizedEmail)
                    .returning("id")
                    .first()
                guard updated != nil else { throw SecondaryEmailRefusal.verifiedElsewhere }
                // Nobody else's unverified claim can ever be verified now.
                // (Only unverified ones: a racing verifier's row is left for
                // the unique index to decide.)
                try await sql.delete(from: SecondaryEmailRow.table)
                    .where("normalized_email", .equal, normalizedEmail)
                    .where("uid", .notEqual, uid.hex)
                    .where("verified", .equal, false)
                    .run()
            }
        } catch let error as SecondaryEmailRefusal {
            throw error
        } catch {
            // The partial unique index: another account verified it first.
            if try await Self.claims(normalizedEmail, on: database.sql())
                .where("verified", .equal, true).where("uid", .notEqual, uid.hex)
                .row(SecondaryEmailRow.self) != nil {
                throw SecondaryEmailRefusal.verifiedElsewhere
            }
            throw error
        }
    }

    public func removeSecondaryEmail(normalizedEmail: String, uid: AccountUID) async throws {
        let deleted = try await database.sql().delete(from: SecondaryEmailRow.table)
            .where("uid", .equal, uid.hex)
            .where("normalized_email", .equal, normalizedEmail)
            .returning("id")
            .all()
        guard !deleted.isEmpty else { throw SecondaryEmailRefusal.notFound }
    }

    public func makePrimary(normalizedEmail: String, uid: AccountUID, recording event: OutboxEvent) async throws {
        defer { database.noteCommittedChange() }
        let isPostgres = database.location.isPostgres
        try await database.transaction { sql in
            try await Self.lock(address: normalizedEmail, account: uid, on: sql, isPostgres: isPostgres)
            guard let row = try await Self.row(normalizedEmail, uid: uid, on: sql) else { throw SecondaryEmailRefusal.notFound }
            guard row.verified else { throw SecondaryEmailRefusal.unverified }
            guard let account = try await SQLAccountStore.row(uid: uid, on: sql) else { throw FxAStoreError.notFound }
            try await sql.delete(from: SecondaryEmailRow.table).where("id", .equal, row.id).run()
            // `primary_email` stays NULL while it is the sign-up address.
            let newPrimary: String? = row.email == account.email ? nil : row.email
            try await sql.update(AccountRow.table)
                .set("primary_email", to: newPrimary)
                .set("normalized_email", to: row.normalizedEmail)
                .set("profile_changed_at", to: event.occurredAt)
                .where("uid", .equal, uid.hex)
                .run()
            try await sql.insert(SecondaryEmailRow(uid: uid, email: account.currentPrimaryEmail, verified: true, createdAt: Date()))
            try await OutboxSQL.record(event, on: sql)
        }
    }

    public func isVerifiedSecondaryEmail(normalizedEmail: String) async throws -> Bool {
        try await Self.claims(normalizedEmail, on: database.sql()).where("verified", .equal, true)
            .row(SecondaryEmailRow.self) != nil
    }

    /// PostgreSQL: serializes the transactions about one address (and, with
    /// `account`, about one account) until commit. No-op on SQLite.
    private static func lock(address normalizedEmail: String, account: AccountUID?, on sql: any SQLDatabase, isPostgres: Bool)
        async throws {
        guard isPostgres else { return }
        if let account {
            try await sql.raw("SELECT uid FROM accounts WHERE uid = \(bind: account.hex) FOR UPDATE").run()
        }
        try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "account_emails:" + normalizedEmail)))").run()
    }

    /// Every account's row for the address, verified or not.
    private static func claims(_ normalizedEmail: String, on sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.selectRows(SecondaryEmailRow.self).where("normalized_email", .equal, normalizedEmail)
    }

    private static func row(_ normalizedEmail: String, uid: AccountUID, on sql: any SQLDatabase) async throws -> SecondaryEmailRow? {
        try await claims(normalizedEmail, on: sql).where("uid", .equal, uid.hex).row(SecondaryEmailRow.self)
    }
}
