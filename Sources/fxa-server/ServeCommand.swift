import ArgumentParser
import FxAServer
import Logging
import Vapor

/// `fxa-server serve` (the default): migrate, make sure a signing key
/// exists, then serve HTTP until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the provider (the default command).")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var serve: ServeOptions

    func run() async throws {
        let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage, serve: serve), logToStandardOutput: true)
        try await withDependencies(configuration, logger: logger) { dependencies in
            let kid = try await dependencies.prepareStorage(logger: logger)
            logger.notice("fxa-server starting", metadata: [
                "configuration": .string(configuration.summary),
                "signing-kid": .string(kid),
            ])
            for warning in configuration.startupWarnings { logger.warning("\(warning)") }
            let app = try await buildApplication(
                dependencies: dependencies,
                environment: Environment(name: "production", arguments: ["fxa-server", "serve"]),
                logger: logger)
            do {
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}
