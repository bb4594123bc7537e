import ArgumentParser
import FxACore
import FxAServer
import FxAStore
import Foundation

/// `fxa-server client …`: register and manage OAuth clients (relying
/// parties). Secrets are printed once, at creation and rotation.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Register and manage OAuth clients.",
        subcommands: [Create.self, List.self, Show.self, Update.self, RotateSecret.self, Disable.self, Enable.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a client; a confidential client's secret is printed once.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "Name shown to users on the consent screen.") var name: String
        @Option(help: "An exact redirect URI (repeat for several).") var redirectURI: [String]
        @Option(help: """
            A scope the client may receive (repeat). Default: what it can be granted,             openid profile:uid profile:email profile:display_name, or with --trusted profile openid.
            """) var scope: [String] = []
        @Flag(help: "A public client (native app, single-page app): no secret, PKCE required.") var `public` = false
        @Flag(help: """
            Trusted (a site you run yourself): skips the consent screen and may receive any scope it is             registered for; an untrusted client gets only openid and profile:uid, :email, :display_name.
            """) var trusted = false
        @Option(help: "Logo shown on the consent screen.") var imageURI: String?
        @Option(help: "Where Security Event Tokens about the client's users are pushed.") var webhookURL: String?
        @Flag(help: "Issue JWT access tokens (RS256, typ at+jwt) instead of opaque ones.") var jwtAccessTokens = false
        @Flag(help: "Print JSON.") var json = false
        @Flag(help: "Print `export FXA_CLIENT_ID=… FXA_CLIENT_SECRET=…` for a shell's eval (the RP kit reads these).")
        var env = false

        func run() async throws {
            let registration = ClientAdministration.Registration(
                name: name, redirectURIs: redirectURI, allowedScopes: scope.isEmpty ? ClientScopeRules.defaults(trusted: trusted) : scope,
                publicClient: `public`, trusted: trusted, imageURI: imageURI, webhookURL: webhookURL,
                jwtAccessTokens: jwtAccessTokens)
            let (client, secret) = try await withClients(storage, .mayCreate) { try await $0.create(registration) }
            if json {
                try printJSON(ClientJSON(client, secret: secret))
            } else if env {
                print("export FXA_CLIENT_ID=\(client.id.hex)")
                if let secret { print("export FXA_CLIENT_SECRET=\(secret.hex)") }
            } else {
                print("client_id:     \(client.id.hex)")
                if let secret {
                    print("client_secret: \(secret.hex)")
                    print("Store the secret now: it is not shown again (rotate it with `fxa-server client rotate-secret`).")
                } else {
                    print("public client: no secret; it must use PKCE (S256).")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered clients.")
        @OptionGroup var storage: StorageOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let clients = try await withClients(storage, .existingOnly) { try await $0.list() }
            if json { return try printJSON(clients.map { ClientJSON($0) }) }
            if clients.isEmpty { print("no clients") }
            for client in clients {
                var kind = client.publicClient ? "public" : "confidential"
                if client.trusted { kind += " trusted" }
                if FirstPartyClients.contains(client.id) { kind += " built-in" }
                if client.disabled { kind += " DISABLED" }
                print("\(client.id.hex)  \(client.name)  \(kind)  \(client.redirectURIs.joined(separator: " "))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one client (never its secret).")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let clientID = try parseClientID(id)
            let client = try await withClients(storage, .existingOnly) { try await $0.show(clientID) }
            let view = ClientJSON(client)
            if json { return try printJSON(view) }
            print("""
                client_id:        \(view.client_id)
                name:             \(view.name)
                redirect URIs:    \(view.redirect_uris.joined(separator: " "))
                allowed scopes:   \(view.allowed_scopes.joined(separator: " "))
                public:           \(view.public)
                trusted:          \(view.trusted)
                image URI:        \(view.image_uri ?? "-")
                webhook URL:      \(view.webhook_url ?? "-")
                JWT access tokens: \(view.jwt_access_tokens)
                previous secret:  \(view.has_previous_secret ? "still accepted" : "none")
                """)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a client's registration.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String
        @Option(help: "New name.") var name: String?
        @Option(help: "Add a redirect URI (repeatable).") var addRedirectURI: [String] = []
        @Option(help: "Remove a redirect URI (repeatable).") var removeRedirectURI: [String] = []
        @Option(help: "Replace the allowed scopes (repeatable).") var scope: [String] = []
        @Flag(inversion: .prefixedNo, help: "Trusted (skips consent).") var trusted: Bool?
        @Option(help: "Logo URL (empty to remove).") var imageURI: String?
        @Option(help: "Webhook URL (empty to remove).") var webhookURL: String?
        @Flag(inversion: .prefixedNo, help: "JWT access tokens.") var jwtAccessTokens: Bool?
        @Flag(help: "Stop accepting the secret that the last rotation replaced.") var forgetPreviousSecret = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let clientID = try parseClientID(id)
            let updated = try await withClients(storage, .existingOnly) { admin in
                if forgetPreviousSecret { try await admin.forgetPreviousSecret(clientID) }
                return try await admin.update(clientID) { client in
                    if let name { client.name = name }
                    client.redirectURIs.removeAll { removeRedirectURI.contains($0) }
                    for uri in addRedirectURI where !client.redirectURIs.contains(uri) { client.redirectURIs.append(uri) }
                    if !scope.isEmpty { client.allowedScopes = scope }
                    if let trusted { client.trusted = trusted }
                    if let imageURI { client.imageURI = imageURI.isEmpty ? nil : imageURI }
                    if let webhookURL { client.webhookURL = webhookURL.isEmpty ? nil : webhookURL }
                    if let jwtAccessTokens { client.jwtAccessTokens = jwtAccessTokens }
                }
            }
            if json { return try printJSON(ClientJSON(updated)) }
            print("updated \(updated.id.hex) (\(updated.name))")
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new secret; the old one keeps working until the next rotation or --forget-previous-secret.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let clientID = try parseClientID(id)
            let secret = try await withClients(storage, .existingOnly) { try await $0.rotateSecret(clientID) }
            if json { return try printJSON(["client_id": clientID.hex, "client_secret": secret.hex]) }
            print("client_secret: \(secret.hex)")
            print("Store the secret now: it is not shown again. The previous secret is still accepted.")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a client off: no new codes, tokens or refreshes (its tokens expire). For Firefox's built-in clients too.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String

        func run() async throws { try await setDisabled(true, id: id, storage: storage) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Turn a disabled client on again.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String

        func run() async throws { try await setDisabled(false, id: id, storage: storage) }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a client.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The client id (16 hex).") var id: String

        func run() async throws {
            let clientID = try parseClientID(id)
            try await withClients(storage, .existingOnly) { try await $0.delete(clientID) }
            print("deleted \(clientID.hex)")
        }
    }
}

/// A client as `--json` prints it: never a secret hash.
struct ClientJSON: Encodable {
    let client_id: String
    let client_secret: String?
    let name: String
    let redirect_uris: [String]
    let allowed_scopes: [String]
    let `public`: Bool
    let trusted: Bool
    let image_uri: String?
    let webhook_url: String?
    let jwt_access_tokens: Bool
    let has_previous_secret: Bool
    /// One of Firefox's own clients, built in: it can be disabled, not deleted.
    let built_in: Bool
    let disabled: Bool

    init(_ client: OAuthClientRecord, secret: OAuthClientSecret? = nil) {
        client_id = client.id.hex
        client_secret = secret?.hex
        name = client.name
        redirect_uris = client.redirectURIs
        allowed_scopes = client.allowedScopes
        self.public = client.publicClient
        trusted = client.trusted
        image_uri = client.imageURI
        webhook_url = client.webhookURL
        jwt_access_tokens = client.jwtAccessTokens
        has_previous_secret = client.previousSecretHash != nil
        built_in = FirstPartyClients.contains(client.id)
        disabled = client.disabled
    }
}

private func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

private func parseClientID(_ text: String) throws -> OAuthClientID {
    guard let id = OAuthClientID(hex: text) else { throw CommandFailure("\(text) is not a client id (16 lowercase hex characters)") }
    return id
}

/// `client disable` and `client enable`: one switch, said back.
private func setDisabled(_ disabled: Bool, id: String, storage: StorageOptions) async throws {
    let clientID = try parseClientID(id)
    _ = try await withClients(storage, .existingOnly) { try await $0.setDisabled(clientID, disabled) }
    print("\(disabled ? "disabled" : "enabled") \(clientID.hex)")
}

/// Opens the configured database, migrates it and runs `body`.
private func withClients<T>(
    _ storage: StorageOptions, _ use: DatabaseUse, _ body: (ClientAdministration) async throws -> T
) async throws -> T {
    try await withMigratedDependencies(storage, use) { try await body($0.clientAdministration()) }
}
