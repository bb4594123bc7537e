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
        allowedScopes: ClientScopeRules.untrustedScopes, jwtAccessTokens: false)

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
    /// `id`: the client id the form was shown with (``ConsoleNewClientPage``).
    func registration(owner: AccountUID, id: OAuthClientID) -> ClientAdministration.Registration {
        var registration = ClientAdministration.Registration(
            name: name, redirectURIs: redirectURIs, allowedScopes: allowedScopes, publicClient: publicClient, trusted: false,
            imageURI: imageURI, webhookURL: webhookURL, jwtAccessTokens: jwtAccessTokens, ownerUID: owner)
        registration.id = id
        return registration
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
    /// loopback, RFC 1918, link-local, CGNAT, benchmarking, IETF protocol
    /// assignments, multicast and reserved, unique-local and mapped IPv6,
    /// `localhost`, `.local`, `.internal`. A numeric host that is not a
    /// canonical dotted quad (`127.1`, `0177.0.0.1`, `2130706433`,
    /// `0x7f000001`) counts as internal too: resolvers read such forms as
    /// addresses, often not the one they seem to be. (A public name that
    /// resolves to a private address is not caught here; see
    /// docs/web-pages.md.)
    static func isInternal(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if host.isEmpty || host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local")
            || host.hasSuffix(".internal") {
            return true
        }
        if host.contains(":") { return isInternalIPv6(host) }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let numeric = labels.allSatisfy { label in
            !label.isEmpty && (label.allSatisfy { $0.isASCII && $0.isNumber } || label.hasPrefix("0x"))
        }
        guard numeric else { return false }  // a name
        let canonical = labels.count == 4 && labels.allSatisfy { label in
            label.allSatisfy { $0.isASCII && $0.isNumber } && (label == "0" || !label.hasPrefix("0")) && UInt8(label) != nil
        }
        guard canonical else { return true }
        let parts = labels.compactMap { UInt8($0) }
        switch (parts[0], parts[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
        case (172, 16...31), (100, 64...127), (198, 18...19): return true
        case (192, 0) where parts[2] == 0: return true
        case (224...255, _): return true  // multicast and reserved
        default: return false
        }
    }

    /// Loopback, unspecified, unique-local (fc00::/7), link-local
    /// (fe80::/10), and IPv4-mapped or -compatible (::/96, ::ffff:0:0/96)
    /// addresses; anything that does not parse as IPv6 is refused too.
    private static func isInternalIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return true }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes[0] & 0xfe == 0xfc { return true }
        if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return true }
        let firstTenZero = bytes[0..<10].allSatisfy { $0 == 0 }
        if firstTenZero, bytes[10..<12].allSatisfy({ $0 == 0 }) || bytes[10..<12].allSatisfy({ $0 == 0xff }) { return true }
        return false
    }

    private static func invalid(_ rule: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidParameter), message: "A console app may have \(rule).")
    }
}
