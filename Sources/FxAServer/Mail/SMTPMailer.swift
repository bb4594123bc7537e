import FxACore
import FxAStore
import Foundation
import Logging
import NIOCore

/// Production mail: one SMTP session per message to the operator's relay,
/// with STARTTLS or implicit TLS and AUTH PLAIN. A message the relay does
/// not accept fails the request with 500/errno 151 (failed to send email)
/// rather than pretending a code went out.
struct SMTPMailer: Mailer {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    let logger: Logger
    /// Upper bound on one delivery, connection included.
    var timeout: Duration = .seconds(30)

    func send(_ message: MailMessage) async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await deliver(message) }
                tasks.addTask {
                    try await Task.sleep(for: timeout)
                    throw SMTPFailure("timed out")
                }
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch {
            // The cause goes to the operator's log (it names the relay's
            // reply, never the message or the credentials); the client
            // only learns that the mail did not go out.
            logger.error("mail delivery failed", metadata: ["relay": "\(settings.host):\(settings.port)", "cause": "\(error)"])
            throw FxAError.failedToSendEmail()
        }
    }

    /// Sends `message` and answers the relay's acceptance (`250 …`), or
    /// throws ``SMTPFailure`` with the relay's refusal or the connection's
    /// failure: what `fxa-server mail test` shows the operator, where a
    /// request only says the mail did not go out.
    func deliverReporting(_ message: MailMessage) async throws -> String {
        try await withThrowingTaskGroup(of: String.self) { tasks in
            tasks.addTask { try await deliver(message) }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPFailure("no answer within \(timeout)")
            }
            let reply = try await tasks.next() ?? ""
            tasks.cancelAll()
            return reply
        }
    }

    /// Connects, reads the greeting, says EHLO, does the STARTTLS handshake
    /// when required, and QUIT, sending nothing: whether the relay can be
    /// reached and trusted.
    func probe() async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                let connection = try await SMTPConnection.open(
                    host: settings.host, port: settings.port, implicitTLS: settings.security == .implicitTLS, group: group)
                do {
                    // The STARTTLS handshake too: a certificate the server
                    // does not trust fails here, not at the first sign-up.
                    try await greet(connection)
                    _ = try? await connection.command("QUIT", expect: [221])
                    await connection.close()
                } catch {
                    await connection.close()
                    throw error
                }
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPFailure("no answer within \(timeout)")
            }
            try await tasks.next()
            tasks.cancelAll()
        }
    }

    @discardableResult
    private func deliver(_ message: MailMessage) async throws -> String {
        let connection = try await SMTPConnection.open(
            host: settings.host, port: settings.port, implicitTLS: settings.security == .implicitTLS, group: group)
        do {
            let accepted = try await converse(connection, message)
            await connection.close()
            return accepted
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The greeting, EHLO, and with STARTTLS required the handshake and a
    /// second EHLO: what sending and the start-up probe both begin with.
    private func greet(_ connection: SMTPConnection) async throws {
        let greeting = try await connection.readReply()
        guard greeting.code == 220 else { throw SMTPFailure("relay greeting was \(greeting.code)") }
        let capabilities = try await connection.command("EHLO \(heloName)", expect: [250])
        guard settings.security == .startTLS else { return }
        guard capabilities.uppercased().contains("STARTTLS") else {
            throw SMTPFailure("the relay does not offer STARTTLS (use ?starttls=off only for a local relay)")
        }
        try await connection.command("STARTTLS", expect: [220])
        try await connection.startTLS()
        try await connection.command("EHLO \(heloName)", expect: [250])
    }

    private func converse(_ connection: SMTPConnection, _ message: MailMessage) async throws -> String {
        try await greet(connection)
        if let username = settings.username {
            let secret = Data(("\0" + username + "\0" + (settings.password ?? "")).utf8).base64EncodedString()
            try await connection.command("AUTH PLAIN \(secret)", expect: [235], redacted: "AUTH")
        }
        try await connection.command("MAIL FROM:<\(SMTPMessageFormat.singleLine(settings.from))>", expect: [250])
        try await connection.command("RCPT TO:<\(SMTPMessageFormat.singleLine(message.to))>", expect: [250, 251])
        try await connection.command("DATA", expect: [354])
        let domain = settings.from.split(separator: "@").last.map(String.init) ?? "localhost"
        try await connection.write(SMTPMessageFormat.render(message, from: settings.from, messageIDDomain: domain))
        let accepted = try await connection.readReply()
        guard accepted.code == 250 else { throw SMTPFailure("message refused with \(accepted.code)", relayText: accepted.text) }
        _ = try? await connection.command("QUIT", expect: [221])
        return "\(accepted.code) \(accepted.text)"
    }

    /// The name given in EHLO: the From domain, which relays accept more
    /// readily than a bare IP.
    private var heloName: String {
        settings.from.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
