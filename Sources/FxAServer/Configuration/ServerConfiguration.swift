import FxACore
import FxAStore
import Foundation
import Logging

/// Everything an `fxa-server` process is told by its operator, as one typed
/// value resolved once at startup (see ``ConfigurationInput`` for where each
/// setting comes from).
public struct ServerConfiguration: Sendable {
    /// Address the HTTP server binds to. Loopback by default, so a fresh
    /// `swift run fxa-server` is not reachable from the network.
    public var host: String
    public var port: Int
    /// The issuer and base of every absolute URL.
    public var publicURL: PublicBaseURL
    /// Where data lives.
    public var database: DatabaseLocation
    /// Whether SQLite fsyncs every commit (see ``SQLiteDurability``).
    public var sqliteDurability: SQLiteDurability
    /// Folder for the embedded database and other local state.
    public var dataDirectory: String
    /// Where the RS256 signing keys come from.
    public var signingKeys: SigningKeySource
    /// Whether `/metrics` answers (Prometheus text format).
    public var metricsEnabled: Bool
    public var logLevel: Logger.Level
    /// Largest request body accepted, in bytes. FxA's API bodies are small;
    /// larger ones are refused with errno 113 before they are buffered.
    public var maxBodySize: Int
    /// What `/__version__` reports.
    public var version: VersionInfo
    /// Sign-up and verification rules.
    public var accountPolicy: AccountPolicy
    /// Rate limits on password, code and email endpoints.
    public var customs: CustomsPolicy
    /// Development keeps mail in the built-in mailbox (readable at
    /// `/__mail__` by anyone who can reach the server); production sends it
    /// by SMTP and serves no mailbox.
    public var mode: ServerMode
    /// The SMTP relay for production mail.
    public var smtp: SMTPSettings?
    /// Browser origins allowed to call the API cross-origin (exact match).
    public var corsOrigins: Set<String>
    /// Development's default: any `http://localhost`, `127.0.0.1` or `[::1]`
    /// origin, whatever its port (a front end on :5173 or :3000), besides
    /// ``corsOrigins``.
    public var corsAllowsLoopbackOrigins: Bool
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    public var trustedProxies: TrustedProxies
    /// How long (seconds) the profile API may reuse a verified access token
    /// and its profile before reading them again; bounds how late a change
    /// made by *another* process is seen (this process's own changes are seen
    /// at once). 0 turns the cache off.
    public var profileCacheSeconds: Int
    /// How webhooks are called, retried and given up on.
    public var eventDelivery: EventDeliveryPolicy
    /// The scopes that carry an encryption key derived from kB.
    public var keyBearingScopes: KeyBearingScopes
    /// Whether this server is Firefox Sync's tokenserver too
    /// (``TokenserverController``).
    public var syncEnabled: Bool
    /// The Sync tokenserver (e.g. Mozilla's syncstorage-rs) that Firefox is
    /// told about in `/.well-known/fxa-client-configuration`, without its
    /// `/1.0/sync/1.5` suffix; `nil` leaves Sync out of that document.
    public var syncTokenserverURL: String?
    /// The tokenserver `/.well-known/fxa-client-configuration` announces:
    /// the operator's, else this server's own when Sync is on, else none.
    public var announcedSyncTokenserverURL: String? {
        syncTokenserverURL ?? (syncEnabled ? "\(publicURL.string)/\(TokenserverController.mountPath)" : nil)
    }
    /// Where devices' push endpoints may be (Mozilla's push service, and
    /// the origins of `FXA_PUSH_ALLOWED_ORIGINS`).
    public var pushEndpoints: PushEndpointPolicy

    /// Where signing keys come from.
    public enum SigningKeySource: Sendable, Equatable {
        /// Generated on first start and kept in the database; rotated with
        /// `fxa-server keys rotate`.
        case database
        /// PEM files managed by the operator; the previous key stays
        /// published so tokens it signed keep verifying.
        case files(current: String, previous: String?)
    }

    public init(
        host: String = "127.0.0.1",
        port: Int = 9000,
        publicURL: PublicBaseURL,
        database: DatabaseLocation,
        dataDirectory: String = "data",
        signingKeys: SigningKeySource = .database,
        metricsEnabled: Bool = false,
        logLevel: Logger.Level = .info,
        maxBodySize: Int = 1 << 20,
        version: VersionInfo = VersionInfo(version: FxAVersion.current, commit: "unknown"),
        accountPolicy: AccountPolicy = AccountPolicy(),
        customs: CustomsPolicy = CustomsPolicy(),
        mode: ServerMode = .development,
        smtp: SMTPSettings? = nil,
        corsOrigins: Set<String> = [],
        corsAllowsLoopbackOrigins: Bool = false,
        trustedProxies: TrustedProxies = TrustedProxies(),
        sqliteDurability: SQLiteDurability = .full,
        profileCacheSeconds: Int = 2,
        eventDelivery: EventDeliveryPolicy = EventDeliveryPolicy(),
        keyBearingScopes: KeyBearingScopes = .default,
        syncEnabled: Bool = false,
        syncTokenserverURL: String? = nil,
        pushEndpoints: PushEndpointPolicy = PushEndpointPolicy()
    ) {
        self.syncEnabled = syncEnabled
        self.pushEndpoints = pushEndpoints
        self.eventDelivery = eventDelivery
        self.keyBearingScopes = keyBearingScopes
        self.syncTokenserverURL = syncTokenserverURL
        self.sqliteDurability = sqliteDurability
        self.profileCacheSeconds = profileCacheSeconds
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.database = database
        self.dataDirectory = dataDirectory
        self.signingKeys = signingKeys
        self.metricsEnabled = metricsEnabled
        self.logLevel = logLevel
        self.maxBodySize = maxBodySize
        self.version = version
        self.accountPolicy = accountPolicy
        self.customs = customs
        self.mode = mode
        self.smtp = smtp
        self.corsOrigins = corsOrigins
        self.corsAllowsLoopbackOrigins = corsAllowsLoopbackOrigins
        self.trustedProxies = trustedProxies
    }

    /// What an operator should fix before real users sign in, each as one
    /// line that `serve` logs at warning level. Not errors: a server on a
    /// private network, or a trial run, may have reasons.
    public var startupWarnings: [String] {
        var warnings: [String] = []
        if !publicURL.isHTTPS && !publicURL.isLoopback {
            warnings.append(
                "the public URL \(publicURL) is http on a host that is not this machine: session cookies go without "
                    + "Secure, and tokens and the keys derived from passwords travel unencrypted. Serve it over https "
                    + "(FXA_PUBLIC_URL=https://..., behind a TLS proxy)")
        }
        // Listening on another interface (0.0.0.0) exposes the mailbox even
        // when the public URL is a loopback one.
        let listensOnLoopback = ["localhost", "::1"].contains(host) || host.hasPrefix("127.")
        if mode == .development && !(publicURL.isLoopback && listensOnLoopback) {
            warnings.append(
                "development mode reachable from other machines: anyone who reaches the server can read "
                    + "its mail (codes included) at /__mail__. Use --mode production with an SMTP relay")
        }
        // `?starttls=off` is for a relay on this machine: anywhere else the
        // codes and reset mail cross the network in clear.
        if let smtp, smtp.security == .none, !Self.isLoopbackHost(smtp.host) {
            warnings.append(
                "mail to the relay \(smtp.host):\(smtp.port) is sent unencrypted (starttls=off): sign-in codes and "
                    + "password-reset codes cross the network in clear. Drop ?starttls=off (STARTTLS), use smtps://, "
                    + "or relay through this machine")
        }
        if !eventDelivery.enabled {
            warnings.append(
                "webhook delivery is off (FXA_EVENT_DELIVERY=off): events queue for relying parties and nothing "
                    + "sends them until an instance with delivery on runs")
        }
        return warnings
    }

    /// What to open and run next, logged when a development server starts:
    /// the first hour of someone who just typed `swift run fxa-server`.
    public var developmentGuide: [String] {
        guard mode == .development else { return [] }
        return [
            "development mode: sign up at \(publicURL.appending("/signin")); the codes arrive at \(publicURL.appending("/__mail__"))",
            "development mode: OpenID discovery at \(publicURL.appending("/.well-known/openid-configuration"))",
            "next: register a relying party with `fxa-server client create --name \"My site\" --redirect-uri "
                + "http://127.0.0.1:8000/callback`, then send its users to \(publicURL.appending("/authorization"))",
        ]
    }

    private static func isLoopbackHost(_ host: String) -> Bool {
        ["localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// One line for the startup log: every setting of ``ServerSetting/all``
    /// as `name=value`, then the version. No secret: database and SMTP
    /// passwords are redacted, key material is never included.
    public var summary: String {
        ServerSetting.summary(of: self) + " version=\(version.version)"
    }
}
