import FxACore
@testable import FxAServer
import FxAStore
import Foundation
import Testing

/// The account, mail and rate-limit settings.
@Suite("Account configuration")
struct AccountConfigurationTests {
    @Test func defaultsAreOpenSignUpDevelopmentMailAndRateLimitsOn() throws {
        let configuration = try ConfigurationInput().resolve(environment: [:])
        #expect(configuration.mode == .development)
        #expect(configuration.smtp == nil)
        #expect(configuration.accountPolicy == AccountPolicy())
        #expect(configuration.customs == .development, "development mode relaxes the limits (DevelopmentModeTests)")
        #expect(configuration.customs.passwordAttemptsPerEmail > 0)
    }

    @Test func productionWithoutSMTPRefusesToStart() throws {
        #expect(throws: StartupError.self) { try ConfigurationInput(flags: [.mode: "production"]).resolve(environment: [:]) }
        let configured = try ConfigurationInput().resolve(environment: [
            "FXA_MODE": "production", "FXA_SMTP_URL": "smtp://mailer:p%40ss@mail.example.test",
            "FXA_PUBLIC_URL": "https://accounts.example.test",
        ])
        let smtp = try #require(configured.smtp)
        #expect(smtp.host == "mail.example.test")
        #expect(smtp.port == 587)
        #expect(smtp.security == .startTLS)
        #expect(smtp.username == "mailer")
        #expect(smtp.password == "p@ss")
        #expect(smtp.from == "accounts@accounts.example.test")
        #expect(!configured.summary.contains("p@ss") && !configured.summary.contains("p%40ss"))
    }

    @Test(arguments: [
        ("smtps://relay.test", SMTPSettings.Security.implicitTLS, 465),
        ("smtp://relay.test:2525?starttls=off", .none, 2525),
        ("smtp://relay.test:25", .startTLS, 25),
    ])
    func smtpURLsChooseTheirSecurity(url: String, security: SMTPSettings.Security, port: Int) throws {
        let settings = try SMTPSettings(url: url, from: "a@b.test")
        #expect(settings.security == security)
        #expect(settings.port == port)
    }

    @Test(arguments: ["http://relay.test", "smtp://", "relay.test:25"])
    func badSMTPURLsAreRefused(url: String) {
        #expect(throws: StartupError.self) { try SMTPSettings(url: url, from: "a@b.test") }
    }

    @Test func signUpPolicyParsesAddressesAndDomains() throws {
        #expect(SignupPolicy(configuration: "open") == .open)
        #expect(SignupPolicy(configuration: "CLOSED") == .closed)
        #expect(SignupPolicy(configuration: " ") == nil)
        let policy = try #require(SignupPolicy(configuration: "Boss@Corp.test, @team.test, family.test"))
        #expect(policy == .allowList(emails: ["boss@corp.test"], domains: ["team.test", "family.test"]))
        #expect(policy.admits(normalizedEmail: "boss@corp.test"))
        #expect(policy.admits(normalizedEmail: "kid@family.test"))
        #expect(!policy.admits(normalizedEmail: "kid@sub.family.test"))
        #expect(!policy.admits(normalizedEmail: "other@corp.test"))
        for typo in ["weird", "opne", "@", "@team", "bad@", "team..test", "-team.test", "team.test,oops"] {
            #expect(SignupPolicy(configuration: typo) == nil, "\(typo) is neither an address nor a domain")
        }
        #expect(throws: StartupError.self) { try ConfigurationInput(flags: [.signup: "weird"]).resolve(environment: [:]) }
    }

    @Test func rateLimitsAndFlagsComeFromTheEnvironment() throws {
        let configuration = try ConfigurationInput().resolve(environment: [
            "FXA_RATE_LIMIT_WINDOW": "60", "FXA_RATE_LIMIT_PASSWORD": "0", "FXA_RATE_LIMIT_IP": "7",
            "FXA_AUTO_VERIFY": "true", "FXA_CONFIRM_SIGNINS": "yes", "FXA_SIGNUP": "closed",
        ])
        #expect(configuration.customs.window == 60)
        #expect(configuration.customs.passwordAttemptsPerEmail == 0)
        #expect(configuration.customs.attemptsPerIP == 7)
        #expect(configuration.accountPolicy.autoVerify)
        #expect(configuration.accountPolicy.confirmSignins)
        #expect(configuration.accountPolicy.signup == .closed)
        // A flag wins over the environment.
        let flagged = try ConfigurationInput(flags: [.autoVerify: "false"]).resolve(environment: ["FXA_AUTO_VERIFY": "true"])
        #expect(!flagged.accountPolicy.autoVerify)
    }

    @Test(arguments: [["FXA_RATE_LIMIT_CODE": "-1"], ["FXA_RATE_LIMIT_WINDOW": "0"], ["FXA_MODE": "staging"], ["FXA_SIGNUP": ","]])
    func badAccountSettingsAreRefused(environment: [String: String]) {
        #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: environment) }
    }
}

/// The text an SMTP relay receives.
@Suite("SMTP message format")
struct SMTPMessageFormatTests {
    @Test func headersCannotBeInjectedAndDotsAreStuffed() {
        let message = MailMessage(
            to: "a@example.test", subject: "Hello\r\nBcc: victim@example.test",
            headers: ["X-Verify-Code": "abc\ndef"], text: "line one\n.hidden\r\n.\nend", sentAt: Date(timeIntervalSince1970: 0))
        let text = SMTPMessageFormat.render(message, from: "accounts@example.test", messageIDDomain: "example.test")
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("Subject: Hello Bcc: victim@example.test"))
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(lines.contains("X-Verify-Code: abc def"))
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        let body = Array(lines.drop { !$0.isEmpty }.dropFirst())
        #expect(body == ["line one", "..hidden", "..", "end", ".", ""])
    }
}
