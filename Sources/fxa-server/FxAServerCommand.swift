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

    /// Runs Swift concurrency on NIO's event loops before anything else
    /// (``EventLoopConcurrency``). Work that blocks a thread (scrypt, the
    /// SQLite writer) runs on threads of its own.
    static func main() async {
        _ = concurrencyRunsOnEventLoops
        await main(nil)
    }

    /// Whether the take-over above worked. It fails if something else set
    /// the runtime's hook first, or on a compiler newer than NIO has been
    /// checked against (NIO declines, and so does the fallback); the binary then runs Swift
    /// concurrency on its own pool, and light requests cost a thread hop
    /// per `await` (docs/benchmarks.md). `serve` says so at start-up. Set
    /// once, before anything else runs.
    static let concurrencyRunsOnEventLoops: Bool = EventLoopConcurrency.takeOver()
}
