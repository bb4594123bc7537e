import FxACore
import FxAStore
import Foundation
import Logging
import NIOPosix

/// The operator's view of the SMTP relay: `fxa-server mail test`, which
/// sends one message and shows the relay's answer, and the check that
/// production mode makes at start-up, so a relay that cannot be reached is
/// a warning in the log before the first sign-up fails.
public struct MailRelay: Sendable {
    private var mailer: SMTPMailer

    public init(settings: SMTPSettings, logger: Logger) {
        mailer = SMTPMailer(settings: settings, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
    }

    /// Where the mail goes, for messages: host, port and security.
    public var description: String { mailer.settings.redactedDescription }

    /// Sends a short test message to `address`; the relay's acceptance.
    ///
    /// - Throws: ``MailRelayFailure`` with the relay's refusal or why it
    ///   could not be reached.
    public func sendTestMessage(to address: String, at date: Date) async throws -> String {
        let message = MailMessage(
            to: address, subject: "Test message from fxa-server",
            headers: ["X-Template-Name": "relayTest"],
            text: "This message was sent by `fxa-server mail test` to check the mail relay. Nothing else is needed.",
            sentAt: date)
        do {
            return try await mailer.deliverReporting(message)
        } catch let failure as SMTPFailure {
            throw MailRelayFailure(description: failure.detail)
        } catch {
            throw MailRelayFailure(description: String(describing: error))
        }
    }

    /// Why the relay cannot be reached (a connection, greeting and EHLO,
    /// nothing sent, within `timeout`), or `nil` when it answers.
    public func check(timeout: Duration = .seconds(5)) async -> String? {
        var quick = mailer
        quick.timeout = timeout
        do {
            try await quick.probe()
            return nil
        } catch {
            return String(describing: error)
        }
    }
}

/// The relay refused a message or could not be reached; the description
/// says which, with the relay's own reply when there was one.
public struct MailRelayFailure: Error, CustomStringConvertible {
    public let description: String
}
