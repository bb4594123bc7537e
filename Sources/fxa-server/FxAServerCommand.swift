import ArgumentParser
import FxACore
import NIOCore
import NIOPosix

/// `fxa-server`: the provider and its operator commands in one binary.
///
/// Every command resolves the same typed configuration (flags over `FXA_*`
/// environment variables over defaults), so `migrate` and `keys rotate` act
/// on exactly the database that `serve` would use.
@main
struct FxAServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxa-server",
        abstract: "A Firefox Accounts compatible identity provider.",
        version: FxAVersion.current,
        subcommands: [ServeCommand.self, MigrateCommand.self, KeysCommand.self, AccountCommand.self, ClientCommand.self, EventsCommand.self, MailCommand.self],
        defaultSubcommand: ServeCommand.self)

    /// Runs Swift concurrency on NIO's event loops before anything else, so
    /// an `await` in a route handler does not hop to another thread pool and
    /// back (Vapor's recommended setup). Work that blocks a thread (scrypt,
    /// SQLite) already runs on thread pools of its own.
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}
