import ArgumentParser
import FxAServer

/// `fxa-server migrate`: bring the database schema up to date and exit,
/// for deployments that migrate before rolling out new instances.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Run database migrations and exit.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage))
        // Making the database is what migrating a new deployment does.
        try announceDatabase(configuration.database, .mayCreate)
        try await withDependencies(configuration, logger: logger) { dependencies in
            try await dependencies.stores.database.migrate()
        }
        print("migrations complete: \(configuration.database.redactedDescription)")
    }
}
