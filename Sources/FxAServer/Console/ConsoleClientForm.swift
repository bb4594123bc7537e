import FxACore
import FxAStore
import Foundation

/// The developer console's client form, as posted: parsed into what
/// ``ClientAdministration`` registers, with the console's own limits on
/// top of the registration rules every client follows.
///
/// Console users are any signed-in account, not the operator, so two
/// things are stricter than the CLI: a client is never trusted (only the
/// operator marks one trusted), and its webhook may not point at this
/// machine or a private network unless the server itself runs on loopback
/// (the server would otherwise POST to internal services for anyone).
struct ConsoleClientForm: Equatable {
    var name: String
    var redirectURIs: [String]
    var imageURI: String?
    var webhookURL: String?
    var publicClient: Bool
    var allowedScopes: [String]
    var jwtAccessTokens: Bool

    /// How many clients one account may register.
    static let maximumClientsPerOwner = 20
    static let maximumRedirectURIs = 10
    static let maximumScopes = 20
    static let maximumURLLength = 2048

    /// A new client's defaults: every scope an untrusted client can be granted.
    static let blank = ConsoleClientForm(
        name: "", redirectURIs: [], imageURI: nil, webhookURL: nil, publicClient: false,
        allowedScopes: OAuthScope.untrustedAllowlist.map(\.description).sorted(), jwtAccessTokens: false)

    /// The form of an existing client, to edit.
    init(_ client: OAuthClientRecord) {
        self.init(
            name: client.name, redirectURIs: client.redirectURIs, imageURI: client.imageURI, webhookURL: client.webhookURL,
            publicClient: client.publicClient, allowedScopes: client.allowedScopes, jwtAccessTokens: client.jwtAccessTokens)
    }

    init(
        name: String, redirectURIs: [String], imageURI: String?, webhookURL: String?, publicClient: Bool,
        allowedScopes: [String], jwtAccessTokens: Bool
    ) {
        self.name = name
        self.redirectURIs = redirectURIs
        self.imageURI = imageURI
        self.webhookURL = webhookURL
        self.publicClient = publicClient
        self.allowedScopes = allowedScopes
        self.jwtAccessTokens = jwtAccessTokens
    }

    /// The posted fields: redirect URIs one per line, scopes separated by
    /// spaces, empty URLs as none. (The client type is only read at creation.)
    init(fields: [String: String]) {
        func optional(_ key: String) -> String? {
            let value = (fields[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        self.init(
            name: (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            redirectURIs: (fields["redirect_uris"] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            imageURI: optional("image_uri"), webhookURL: optional("webhook_url"),
            publicClient: fields["client_type"] == "public",
            allowedScopes: (fields["scopes"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init),
            jwtAccessTokens: fields["jwt_access_tokens"] == "on")
    }

    /// The console's limits (the registration rules are checked when the
    /// client is stored). Throws FxA's 107 with a message a person can act on.
    func check(serverIsLoopback: Bool) throws {
        guard redirectURIs.count <= Self.maximumRedirectURIs else { throw Self.invalid("at most \(Self.maximumRedirectURIs) redirect URIs") }
        guard allowedScopes.count <= Self.maximumScopes else { throw Self.invalid("at most \(Self.maximumScopes) scopes") }
        for url in redirectURIs + [imageURI, webhookURL].compactMap({ $0 }) where url.utf8.count > Self.maximumURLLength {
            throw Self.invalid("URLs of at most \(Self.maximumURLLength) characters")
        }
        if let webhookURL, !serverIsLoopback {
            guard let url = URLComponents(string: webhookURL), url.scheme?.lowercased() == "https",
                  let host = url.host, !Self.isInternal(host)
            else { throw Self.invalid("a webhook URL over https on a public host") }
        }
    }

    /// The registration to store for `owner` (never trusted).
    func registration(owner: AccountUID) -> ClientAdministration.Registration {
        .init(
            name: name, redirectURIs: redirectURIs, allowedScopes: allowedScopes, publicClient: publicClient, trusted: false,
            imageURI: imageURI, webhookURL: webhookURL, jwtAccessTokens: jwtAccessTokens, ownerUID: owner)
    }

    /// Applies the editable fields to a stored client (type, trust and
    /// owner stay).
    func apply(to client: inout OAuthClientRecord) {
        client.name = name
        client.redirectURIs = redirectURIs
        client.imageURI = imageURI
        client.webhookURL = webhookURL
        client.allowedScopes = allowedScopes
        client.jwtAccessTokens = jwtAccessTokens
    }

    /// Host names and IP literals of this machine and private networks:
    /// loopback, RFC 1918, link-local, CGNAT, unique-local IPv6, `.local`,
    /// `.internal`. (A public name that resolves to a private address is not
    /// caught here; see docs/web-pages.md.)
    static func isInternal(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host.hasSuffix(".internal") { return true }
        if host.contains(":") {
            return host == "::1" || host == "::" || host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe80")
                || host.hasPrefix("::ffff:")
        }
        let parts = host.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4, host.split(separator: ".").count == 4 else {
            // Not a dotted quad: a name, unless it is a bare number (an IP in
            // decimal or hex, which URL parsers may read as an address).
            return host.allSatisfy { $0.isNumber } || host.hasPrefix("0x")
        }
        switch (parts[0], parts[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
        case (172, 16...31), (100, 64...127): return true
        default: return false
        }
    }

    private static func invalid(_ rule: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidParameter), message: "A console app may have \(rule).")
    }
}
