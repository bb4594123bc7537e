import ArgumentParser
import FxACore
import FxAServer
import FxAStore
import Foundation

/// `fxa-server keys ...`: inspect and rotate the RS256 signing keys kept in
/// the database.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage signing keys.",
        subcommands: [List.self, Rotate.self])

    /// Prints each published key: kid, status, creation time. Never the key.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the published signing keys.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let keys = try await withMigratedDependencies(storage, .existingOnly) { dependencies in
                try await dependencies.stores.signingKeys.publishedKeys()
            }
            if keys.isEmpty { print("no signing keys yet: one is created when the server first starts") }
            for key in keys {
                print("\(key.kid)  \(key.status.rawValue)  created \(ISO8601DateFormatter().string(from: key.createdAt))")
            }
        }
    }

    /// Makes a new current key; the old current key stays published as the
    /// previous one, and the key before that is deleted. Running servers
    /// pick the change up within a minute.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new current signing key and keep the old one published.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage))
            if case .files = configuration.signingKeys {
                throw CommandFailure("signing keys come from files: rotate by replacing the files")
            }
            try announceDatabase(configuration.database, .existingOnly)
            let key = try RSASigningKey.generate()
            try await withDependencies(configuration, logger: logger) { dependencies in
                let database = dependencies.stores.database
                let store = dependencies.stores.signingKeys
                let clock = dependencies.clock
                try await database.withStartupLock {
                    try await database.migrateHoldingStartupLock()
                    try await store.rotate(to: StoredSigningKey(
                        kid: key.kid, pem: key.pemRepresentation, status: .current, createdAt: clock.now()))
                }
            }
            print("new current signing key: \(key.kid)")
        }
    }
}
