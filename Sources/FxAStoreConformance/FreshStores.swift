import FluentSQL
import FxACore
import FxAStore
import Foundation
import Logging

/// Gives each conformance case an empty, migrated database of the backend
/// under test, and removes it afterwards.
///
/// SQLite gets a private in-memory database. PostgreSQL gets a schema of its
/// own (`fxa_conformance_<random>`) on the server named by the URL, so cases
/// run in parallel without seeing each other's rows and leave nothing behind.
public enum FreshStores {
    /// The PostgreSQL URL the suite runs against, if any
    /// (`FXA_TEST_POSTGRES_URL`); PostgreSQL cases are skipped without it.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["FXA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` on new stores of the same kind as `backend`.
    public static func with<T: Sendable>(
        _ backend: Backend, _ body: (Stores) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "fxa-conformance")
        logger.logLevel = .warning
        switch backend {
        case .sqlite:
            let database = try StoreDatabase(location: .sqliteInMemory, logger: logger)
            return try await run(database, body)
        case .postgres(let url):
            let schema = "fxa_conformance_" + SecureRandom.bytes(6).hexString
            let admin = try StoreDatabase(location: .postgres(url: url), logger: logger)
            let adminSQL = try admin.handle() as! any SQLDatabase
            try await adminSQL.raw("CREATE SCHEMA \(ident: schema)").run()
            do {
                let database = try StoreDatabase(location: .postgres(url: url, searchPath: schema), logger: logger)
                let result = try await run(database, body)
                try await adminSQL.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
                await admin.shutdown()
                return result
            } catch {
                try? await adminSQL.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
                await admin.shutdown()
                throw error
            }
        }
    }

    private static func run<T: Sendable>(_ database: StoreDatabase, _ body: (Stores) async throws -> T) async throws -> T {
        do {
            try await database.migrate()
            let result = try await body(Stores(database: database))
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// A database backend the suite can run against.
    public enum Backend: Sendable {
        case sqlite
        case postgres(url: String)
    }
}
