import ArgumentParser
import FxACore
import FxAServer
import FxAStore
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
    } catch {
        throw explained(error, configuration)
    }
    do {
        let result = try await body(dependencies)
        await dependencies.shutdown()
        return result
    } catch {
        await dependencies.shutdown()
        if let error = error as? FxAError { throw CommandFailure(error.message) }
        if let error = error as? StartupError { throw CommandFailure(error.description) }
        throw explained(error, configuration)
    }
}

/// A database that cannot be opened or reached, said in a sentence with
/// the database and the real reason (``DatabaseFailure``); other errors
/// as they are.
private func explained(_ error: any Error, _ configuration: ServerConfiguration) -> any Error {
    DatabaseFailure.explain(error, location: configuration.database).map(CommandFailure.init) ?? error
}

/// Whether an operator command may make the database when there is none.
enum DatabaseUse {
    /// It adds data (`client create`, `account create`): a new database is
    /// where that data goes.
    case mayCreate
    /// It reads or changes what exists: with no database there is nothing
    /// to read, and making an empty one would look like lost data (a
    /// command run from another folder answering "no clients").
    case existingOnly
}

/// Resolves the configuration from `storage`, names the database on
/// standard error, opens and migrates it, and runs `body`: what every
/// operator command on data needs.
func withMigratedDependencies<T>(
    _ storage: StorageOptions, _ use: DatabaseUse, _ body: (Dependencies) async throws -> T
) async throws -> T {
    let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage))
    try announceDatabase(configuration.database, use)
    return try await withDependencies(configuration, logger: logger) { dependencies in
        try await dependencies.stores.database.migrate()
        return try await body(dependencies)
    }
}

/// Prints which database the command uses (passwords redacted) on standard
/// error, where it does not mix with `--json`; refuses a missing SQLite
/// file for a command that only reads or maintains, naming the path and
/// the settings that choose another.
func announceDatabase(_ location: DatabaseLocation, _ use: DatabaseUse) throws {
    if case .sqliteFile(let path) = location {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if use == .existingOnly, !FileManager.default.fileExists(atPath: absolute) {
            throw CommandFailure("""
                no database at \(absolute): run the command from the server's folder, or name the data with \
                --data-dir (FXA_DATA_DIR) or --database-url (FXA_DATABASE_URL)
                """)
        }
        printToStandardError("database: sqlite file \(absolute)")
    } else {
        printToStandardError("database: \(location.redactedDescription)")
    }
}

/// A line (or, without `newline`, a prompt) on standard error.
func printToStandardError(_ text: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((newline ? text + "\n" : text).utf8))
}
