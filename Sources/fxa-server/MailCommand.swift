import ArgumentParser
import FxAServer
import Foundation

/// `fxa-server mail test --to ADDRESS`: one message through the configured
/// relay, with the relay's answer, before a user's sign-up depends on it.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Check the mail relay.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message through the SMTP relay and show its answer.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var serve: ServeOptions
        @Option(help: "Where to send the test message.") var to: String

        func run() async throws {
            let (configuration, logger) = try prepareCommand(ConfigurationInput(storage: storage, serve: serve))
            guard let smtp = configuration.smtp else {
                throw CommandFailure(
                    "no mail relay is configured: set --smtp-url / FXA_SMTP_URL (development mode keeps mail at /__mail__)")
            }
            let relay = MailRelay(settings: smtp, logger: logger)
            do {
                let answer = try await relay.sendTestMessage(to: to, at: Date())
                print("sent to \(to) through \(relay.description): the relay answered \(answer)")
            } catch let failure as MailRelayFailure {
                throw CommandFailure("not sent through \(relay.description): \(failure.description)")
            }
        }
    }
}
