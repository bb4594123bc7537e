import ArgumentParser
import FxAServer
import Logging
import NIOCore
import NIOPosix
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
            if !FxAServerCommand.concurrencyRunsOnEventLoops {
                logger.notice("""
                    Swift concurrency runs on its own thread pool, not on NIO's event loops: the runtime's executor \
                    hook could not be taken over. Light requests cost a thread hop per await (docs/self-hosting.md)
                    """)
            }
            try await ListenFailure.checkAvailable(host: configuration.host, port: configuration.port)
            // A relay that cannot be reached is worth knowing before the
            // first sign-up fails on it; the server starts anyway.
            if let smtp = configuration.smtp {
                let relay = MailRelay(settings: smtp, logger: logger)
                if let problem = await relay.check() {
                    logger.warning("the mail relay \(relay.description) cannot be reached (\(problem)): sign-ups and password resets fail until it answers; try `fxa-server mail test --to you@example.org`")
                }
            }
            for line in configuration.developmentGuide { logger.notice("\(line)") }
            let app = try await buildApplication(
                dependencies: dependencies,
                environment: Environment(name: "production", arguments: ["fxa-server", "serve"]),
                logger: logger)
            do {
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                throw ListenFailure.explain(error, host: configuration.host, port: configuration.port) ?? error
            }
            try await app.asyncShutdown()
        }
    }
}

/// Why the server could not listen, naming the address and the setting to
/// change: NIO's own error shows neither (`bind(descriptor:ptr:bytes:):
/// Address already in use) (errno: 98)`).
enum ListenFailure {
    /// Binds the address once and lets it go, so a busy port is reported
    /// in one sentence before the HTTP server starts (which would log
    /// NIO's text first).
    static func checkAvailable(host: String, port: Int) async throws {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close()
        } catch {
            throw explain(error, host: host, port: port) ?? error
        }
    }

    static func explain(_ error: any Error, host: String, port: Int) -> CommandFailure? {
        guard let error = error as? IOError else { return nil }
        switch error.errnoCode {
        case EADDRINUSE:
            return CommandFailure(
                "port \(port) on \(host) is already in use by another program: stop it, or choose another port with "
                    + "--port / FXA_PORT")
        case EACCES:
            return CommandFailure(
                "not allowed to listen on port \(port): ports below 1024 need privileges; use a higher --port / FXA_PORT "
                    + "behind a reverse proxy (docs/self-hosting.md)")
        case EADDRNOTAVAIL:
            return CommandFailure("\(host) is not an address of this machine: choose another with --host / FXA_HOST")
        default:
            return nil
        }
    }
}
