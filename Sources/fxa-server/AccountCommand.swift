import ArgumentParser
import FxACore
import FxAServer
import FxAStore
import Foundation

/// `fxa-server account …`: the operator's account tools, for instances with
/// closed sign-up or without working mail.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Create, list, verify and delete accounts.",
        subcommands: [Create.self, List.self, Verify.self, Delete.self, Capabilities.self])

    /// Creates an account. The password is read from standard input, never
    /// from the command line, where other users could read it in `ps`: on a
    /// terminal it is asked for twice without echo.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is asked for on a terminal, or read from standard input (one line).")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The account's email address.") var email: String
        @Flag(inversion: .prefixedNo, help: "Mark the email verified (default: verified).") var verified = true

        func run() async throws {
            let address = try parseEmail(email)
            guard let line = try PasswordPrompt.read(for: address.value), !line.isEmpty else {
                throw CommandFailure("no password on standard input: echo 'the password' | fxa-server account create --email …")
            }
            guard line.count >= 8 else { throw CommandFailure("the password must have at least 8 characters, as FxA requires") }
            let account = try await withAdministration(storage, .mayCreate) { try await $0.create(email: address, password: line, verified: verified) }
            print("created \(account.email) uid \(account.uid.hex)\(verified ? " (verified)" : "")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts: uid, email, verified, created.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let accounts = try await withAdministration(storage, .existingOnly) { try await $0.list() }
            let format = ISO8601DateFormatter()
            for account in accounts {
                print("\(account.uid.hex)  \(account.email)  \(account.emailVerified ? "verified" : "unverified")  \(account.currentStretchVersion.label)  \(format.string(from: account.createdAt))")
            }
            if accounts.isEmpty { print("no accounts") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an account's email verified.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The account's email address.") var email: String

        func run() async throws {
            let address = try parseEmail(email)
            let account = try await withAdministration(storage, .existingOnly) { try await $0.verify(email: address) }
            print("verified \(account.email) uid \(account.uid.hex)")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an account; relying parties are told through the event broker.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The account's email address.") var email: String

        func run() async throws {
            let address = try parseEmail(email)
            let account = try await withAdministration(storage, .existingOnly) { try await $0.delete(email: address) }
            print("deleted \(account.email) uid \(account.uid.hex)")
        }
    }
}

extension AccountCommand {
    /// Subscription capabilities, granted by the operator in place of payments.
    struct Capabilities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set an account's subscription capabilities; relying parties get subscription-state-change events.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The account's email address.") var email: String
        @Option(help: "Replace the capabilities with this comma-separated list (empty: none).") var set: String?

        func run() async throws {
            let address = try parseEmail(email)
            let (account, capabilities) = try await withAdministration(storage, .existingOnly) { administration in
                if let set {
                    let list = set.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    return try await administration.setCapabilities(list, email: address)
                }
                return try await administration.capabilities(email: address)
            }
            print("\(account.email) uid \(account.uid.hex): \(capabilities.isEmpty ? "no capabilities" : capabilities.joined(separator: ","))")
        }
    }
}

private func parseEmail(_ text: String) throws -> EmailAddress {
    guard let address = EmailAddress(text) else { throw CommandFailure("\(text) is not an email address") }
    return address
}

/// Opens the configured database, migrates it and runs `body`.
private func withAdministration<T>(
    _ storage: StorageOptions, _ use: DatabaseUse, _ body: (AccountAdministration) async throws -> T
) async throws -> T {
    try await withMigratedDependencies(storage, use) { try await body($0.accountAdministration()) }
}
