import FluentSQL
import FxACore
@testable import FxAStore
import Foundation
import Logging
import Testing

/// The migration that rewrites email keys stored before they were
/// normalized: keys an old binary wrote (lowercased only) become
/// `EmailAddress.normalize` keys, unless that would give one key to two rows.
@Suite("Email key migration")
struct RenormalizeEmailKeysTests {
    @Test func oldKeysAreRewrittenUnlessTheNewKeyIsTakenInEitherTable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-renormalize-\(SecureRandom.bytes(6).hexString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try StoreDatabase(
            location: .sqliteFile(path: folder.appendingPathComponent("fxa.sqlite").path), logger: Logger(label: "test"))
        try await database.migrate()
        let accounts = SQLAccountStore(database: database)
        let emails = SQLSecondaryEmailStore(database: database)
        let sql = try database.handle() as! any SQLDatabase
        /// Creates an account and gives it the key an older binary wrote.
        func account(_ email: String) async throws -> AccountRecord {
            let record = AccountRecord(
                uid: .random(), email: email, emailVerified: true, kA: SecureRandom.bytes(32),
                v1: .init(authSalt: SecureRandom.bytes(32), verifyHash: SecureRandom.bytes(32), wrapWrapKb: SecureRandom.bytes(32)),
                v2: nil, createdAt: Date(), verifierSetAt: Date())
            try await accounts.create(record)
            try await sql.raw("UPDATE accounts SET normalized_email = \(bind: email.lowercased()) WHERE uid = \(bind: record.uid.hex)").run()
            return record
        }
        func key(_ uid: AccountUID) async throws -> [UInt8] {
            Array(try #require(try await sql.raw("SELECT normalized_email FROM accounts WHERE uid = \(bind: uid.hex)").first())
                .decode(column: "normalized_email", as: String.self).utf8)
        }

        let decomposed = try await account("Jose\u{301}@example.org")
        let fullWidth = try await account("mail@\u{FF45}xample.net")
        let clash = try await account("Zoe\u{301}@example.org")
        let holder = try await account("zo\u{E9}@example.org")
        let secondaryClash = try await account("owner@example.org")
        try await emails.addSecondaryEmail("Ane\u{301}@example.org", uid: secondaryClash.uid, at: Date(), limit: 3)
        try await sql.raw("UPDATE account_emails SET normalized_email = \(bind: "ane\u{301}@example.org")").run()
        let other = try await account("an\u{E9}@example.org")

        try await RenormalizeEmailKeys().prepare(on: database.handle())

        #expect(try await key(decomposed.uid) == Array("jos\u{E9}@example.org".utf8))
        #expect(try await key(fullWidth.uid) == Array("mail@example.net".utf8))
        #expect(try await key(clash.uid) == Array("zoe\u{301}@example.org".utf8), "left alone: the NFC key belongs to another account")
        #expect(try await key(holder.uid) == Array("zo\u{E9}@example.org".utf8))
        let secondary = try #require(try await sql.raw("SELECT normalized_email FROM account_emails").first())
            .decode(column: "normalized_email", as: String.self)
        #expect(Array(secondary.utf8) == Array("ane\u{301}@example.org".utf8), "left alone: another account's primary has the key")
        #expect(try await key(other.uid) == Array("an\u{E9}@example.org".utf8))
        await database.shutdown()
    }
}
