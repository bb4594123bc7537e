import ArgumentParser
import FxACore
import FxAServer
import Foundation
import Logging

/// Resolves the configuration and sets up logging once per process.
///
/// A ``StartupError`` comes back as a ``CommandFailure`` so the
/// operator reads a sentence, not a type dump. The server logs to standard
/// output, as container platforms expect; operator commands log to standard
/// error, so their output (`--json` included) can be piped.
func prepareCommand(_ input: ConfigurationInput, logToStandardOutput: Bool = false) throws -> (ServerConfiguration, Logger) {
    let configuration: ServerConfiguration
    do {
        configuration = try input.resolve(environment: ProcessInfo.processInfo.environment)
    } catch let error as StartupError {
        throw CommandFailure(error.description)
    }
    let level = configuration.logLevel
    LoggingSystem.bootstrap { label in
        var handler = logToStandardOutput
            ? StreamLogHandler.standardOutput(label: label) : StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: "fxa-server")
    logger.logLevel = level
    return (configuration, logger)
}

/// A command that could not do its job, with the reason for the operator.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` with opened dependencies and always releases them.
func withDependencies<T>(
    _ configuration: ServerConfiguration, logger: Logger, _ body: (Dependencies) async throws -> T
) async throws -> T {
    let dependencies: Dependencies
    do {
        dependencies = try Dependencies.open(configuration: configuration, logger: logger)
    } catch let error as StartupError {
        throw CommandFailure(error.description)
    }
    do {
        let result = try await body(dependencies)
        await dependencies.shutdown()
        return result
    } catch {
        await dependencies.shutdown()
        if let error = error as? FxAError { throw CommandFailure(error.message) }
        if let error = error as? StartupError { throw CommandFailure(error.description) }
        throw error
    }
}

/// Resolves the configuration from `storage`, opens and migrates the
/// database, and runs `body`: what every operator command on data needs.
func withMigratedDependencies<T>(_ storage: StorageOptions, _ body: (Dependencies) async throws -> T) async throws -> T {
    let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage))
    return try await withDependencies(configuration, logger: logger) { dependencies in
        try await dependencies.stores.database.migrate()
        return try await body(dependencies)
    }
}
