import ArgumentParser
import FxACore

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
        subcommands: [ServeCommand.self, MigrateCommand.self, KeysCommand.self, AccountCommand.self, ClientCommand.self],
        defaultSubcommand: ServeCommand.self)
}
