import FxACore
import FxAStore
import Foundation
import Logging

/// The raw settings before validation: command-line flags, each optional.
///
/// ``resolve(environment:)`` applies the precedence the README documents:
/// a flag wins over its `FXA_*` environment variable, which wins over the
/// default. Resolution is a pure function of its inputs so it can be tested
/// without a process.
public struct ConfigurationInput: Sendable {
    public var host: String?
    public var port: Int?
    public var publicURL: String?
    public var databaseURL: String?
    public var dataDirectory: String?
    public var signingKeyFile: String?
    public var previousSigningKeyFile: String?
    public var metrics: Bool?
    public var logLevel: String?
    public var maxBodySize: Int?
    public var mode: String?
    public var autoVerify: Bool?
    public var signup: String?
    public var confirmSignins: Bool?
    public var smtpURL: String?
    public var mailFrom: String?
    public var corsOrigins: String?

    public init(
        host: String? = nil, port: Int? = nil, publicURL: String? = nil, databaseURL: String? = nil,
        dataDirectory: String? = nil, signingKeyFile: String? = nil, previousSigningKeyFile: String? = nil,
        metrics: Bool? = nil, logLevel: String? = nil, maxBodySize: Int? = nil,
        mode: String? = nil, autoVerify: Bool? = nil, signup: String? = nil, confirmSignins: Bool? = nil,
        smtpURL: String? = nil, mailFrom: String? = nil, corsOrigins: String? = nil
    ) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.signingKeyFile = signingKeyFile
        self.previousSigningKeyFile = previousSigningKeyFile
        self.metrics = metrics
        self.logLevel = logLevel
        self.maxBodySize = maxBodySize
        self.mode = mode
        self.autoVerify = autoVerify
        self.signup = signup
        self.confirmSignins = confirmSignins
        self.smtpURL = smtpURL
        self.mailFrom = mailFrom
        self.corsOrigins = corsOrigins
    }

    /// The environment variables read, with what each sets. Also used by the
    /// README's configuration table, so the two cannot drift.
    public static let environmentVariables: [(name: String, meaning: String)] = [
        ("FXA_HOST", "address to listen on (default 127.0.0.1)"),
        ("FXA_PORT", "port to listen on (default 9000)"),
        ("FXA_PUBLIC_URL", "public base URL and OIDC issuer (default http://<host>:<port>)"),
        ("FXA_DATABASE_URL", "postgres://user:pass@host:5432/db, sqlite:///path or sqlite::memory: (default sqlite in the data folder)"),
        ("FXA_DATA_DIR", "folder for the embedded database (default ./data)"),
        ("FXA_SQLITE_SYNCHRONOUS", "full (default: every commit fsynced) or normal (WAL checkpoints only; a power loss may drop the last commits)"),
        ("FXA_SIGNING_KEY_FILE", "PEM RSA private key to sign with instead of a database key"),
        ("FXA_PREVIOUS_SIGNING_KEY_FILE", "PEM RSA private key still published in the JWKS"),
        ("FXA_METRICS", "true to serve Prometheus metrics at /metrics (default false)"),
        ("FXA_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("FXA_MAX_BODY_SIZE", "largest request body in bytes (default 1048576)"),
        ("FXA_COMMIT", "commit reported by /__version__ (default: read from version.json or .git)"),
        ("FXA_MODE", "development (mail kept in the built-in mailbox) or production (mail by SMTP; default development)"),
        ("FXA_SMTP_URL", "smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; required in production"),
        ("FXA_MAIL_FROM", "From address of the server's mail (default accounts@<public host>)"),
        ("FXA_SIGNUP", "open, closed, or a comma-separated allow-list of addresses and @domains (default open)"),
        ("FXA_AUTO_VERIFY", "true to mark new accounts verified without an emailed code (default false)"),
        ("FXA_CONFIRM_SIGNINS", "true to confirm each sign-in with an emailed 6-digit code (default false)"),
        ("FXA_RATE_LIMIT_WINDOW", "seconds over which rate limits count (default 900)"),
        ("FXA_RATE_LIMIT_PASSWORD", "sign-ups/logins/deletions per email per window, 0 = off (default 20)"),
        ("FXA_RATE_LIMIT_CODE", "code verifications per account per window, 0 = off (default 10)"),
        ("FXA_RATE_LIMIT_EMAIL", "emails sent per address per window, 0 = off (default 5)"),
        ("FXA_CORS_ORIGINS", "comma-separated browser origins allowed to call the API (default: the guide's loopback origins in development, none in production)"),
        ("FXA_RATE_LIMIT_IP", "counted requests per IP address per window, 0 = off (default 300)"),
        ("FXA_RATE_LIMIT_DEVICE", "commands and notifications sent between an account's devices per window, 0 = off (default 300)"),
        ("FXA_WEBHOOK_TIMEOUT_SECONDS", "longest wait for a relying party's webhook to answer, 1-60 (default 10)"),
        ("FXA_EVENT_MAX_AGE_HOURS", "how long a failing event delivery is retried before it is marked failed, 1-720 (default 72)"),
        ("FXA_EVENT_RETENTION_DAYS", "how long delivered webhook deliveries and outbox events are kept before they are deleted, 1-3650 (default 30)"),
        ("FXA_PROFILE_CACHE_SECONDS", "how long the profile API reuses a verified token and profile; bounds how late another instance's changes are seen, 0 = off (default 2)"),
        ("FXA_KEY_BEARING_SCOPES", "comma-separated https:// URL scopes that carry a scoped encryption key (default https://identity.mozilla.com/apps/oldsync)"),
        ("FXA_SYNC_TOKENSERVER_URL", "base URL of the Sync tokenserver announced to Firefox in /.well-known/fxa-client-configuration (default none)"),
        ("FXA_PUSH_ALLOWED_ORIGINS", "comma-separated origins of push services besides Mozilla's to which devices' pushes may go, e.g. a self-hosted autopush (default none)"),
    ]

    /// Validates and combines the inputs.
    ///
    /// - Throws: ``FxAError/invalidConfiguration(_:)`` naming the bad setting.
    public func resolve(environment: [String: String]) throws -> ServerConfiguration {
        func pick(_ flag: String?, _ variable: String) -> String? {
            if let flag, !flag.isEmpty { return flag }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }

        let host = pick(self.host, "FXA_HOST") ?? "127.0.0.1"
        let port = try self.port ?? Self.integer(environment["FXA_PORT"], name: "FXA_PORT") ?? 9000
        guard (1...65535).contains(port) else {
            throw FxAError.invalidConfiguration("port must be between 1 and 65535, got \(port)")
        }

        let defaultPublicHost = ["0.0.0.0", "::", "[::]"].contains(host) ? "127.0.0.1" : host
        let publicURL = try PublicBaseURL(pick(self.publicURL, "FXA_PUBLIC_URL") ?? "http://\(defaultPublicHost):\(port)")

        let dataDirectory = pick(self.dataDirectory, "FXA_DATA_DIR") ?? "data"
        let database: DatabaseLocation
        if let url = pick(databaseURL, "FXA_DATABASE_URL") {
            do {
                database = try DatabaseLocation(url: url)
            } catch {
                throw FxAError.invalidConfiguration(
                    "database URL must start with postgres://, postgresql://, postgres+uds:// or sqlite:")
            }
        } else {
            database = .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("fxa.sqlite"))
        }

        let durabilityName = (environment["FXA_SQLITE_SYNCHRONOUS"] ?? "full").lowercased()
        guard let sqliteDurability = SQLiteDurability(rawValue: durabilityName) else {
            throw FxAError.invalidConfiguration("FXA_SQLITE_SYNCHRONOUS must be full or normal, got \(durabilityName)")
        }

        let signingKeys: ServerConfiguration.SigningKeySource
        let previousFile = pick(previousSigningKeyFile, "FXA_PREVIOUS_SIGNING_KEY_FILE")
        if let currentFile = pick(signingKeyFile, "FXA_SIGNING_KEY_FILE") {
            signingKeys = .files(current: currentFile, previous: previousFile)
        } else if previousFile != nil {
            throw FxAError.invalidConfiguration("a previous signing key file needs a current signing key file")
        } else {
            signingKeys = .database
        }

        let metrics = try metrics ?? Self.boolean(environment["FXA_METRICS"], name: "FXA_METRICS") ?? false

        let levelName = (pick(logLevel, "FXA_LOG_LEVEL") ?? "info").lowercased()
        guard let level = Logger.Level(rawValue: levelName) else {
            throw FxAError.invalidConfiguration("unknown log level \(levelName)")
        }

        let maxBodySize = try maxBodySize ?? Self.integer(environment["FXA_MAX_BODY_SIZE"], name: "FXA_MAX_BODY_SIZE") ?? 1 << 20
        guard maxBodySize >= 1024 else {
            throw FxAError.invalidConfiguration("max body size must be at least 1024 bytes")
        }

        let modeName = (pick(mode, "FXA_MODE") ?? "development").lowercased()
        guard let mode = ServerMode(rawValue: modeName) else {
            throw FxAError.invalidConfiguration("mode must be development or production, got \(modeName)")
        }
        var smtp: SMTPSettings?
        if let smtpURL = pick(self.smtpURL, "FXA_SMTP_URL") {
            let from = pick(mailFrom, "FXA_MAIL_FROM") ?? "accounts@\(URLComponents(string: publicURL.string)?.host ?? "localhost")"
            smtp = try SMTPSettings(url: smtpURL, from: from)
        }
        if mode == .production, smtp == nil {
            throw FxAError.invalidConfiguration(
                "production mode sends mail by SMTP: set FXA_SMTP_URL (or run with --mode development)")
        }

        let signupText = pick(signup, "FXA_SIGNUP") ?? "open"
        guard let signupPolicy = SignupPolicy(configuration: signupText) else {
            throw FxAError.invalidConfiguration("sign-up must be open, closed or a list of addresses and @domains")
        }
        let accountPolicy = AccountPolicy(
            autoVerify: try autoVerify ?? Self.boolean(environment["FXA_AUTO_VERIFY"], name: "FXA_AUTO_VERIFY") ?? false,
            signup: signupPolicy,
            confirmSignins: try confirmSignins
                ?? Self.boolean(environment["FXA_CONFIRM_SIGNINS"], name: "FXA_CONFIRM_SIGNINS") ?? false)

        let defaults = CustomsPolicy()
        func limit(_ name: String, _ fallback: Int) throws -> Int {
            let value = try Self.integer(environment[name], name: name) ?? fallback
            guard value >= 0 else { throw FxAError.invalidConfiguration("\(name) must not be negative") }
            return value
        }
        let window = try limit("FXA_RATE_LIMIT_WINDOW", Int(defaults.window))
        guard window > 0 else { throw FxAError.invalidConfiguration("FXA_RATE_LIMIT_WINDOW must be positive") }
        let customs = CustomsPolicy(
            window: TimeInterval(window),
            passwordAttemptsPerEmail: try limit("FXA_RATE_LIMIT_PASSWORD", defaults.passwordAttemptsPerEmail),
            codeAttemptsPerAccount: try limit("FXA_RATE_LIMIT_CODE", defaults.codeAttemptsPerAccount),
            emailsPerAddress: try limit("FXA_RATE_LIMIT_EMAIL", defaults.emailsPerAddress),
            attemptsPerIP: try limit("FXA_RATE_LIMIT_IP", defaults.attemptsPerIP),
            deviceMessagesPerAccount: try limit("FXA_RATE_LIMIT_DEVICE", defaults.deviceMessagesPerAccount))

        var corsOrigins = mode == .development ? ServerConfiguration.developmentCORSOrigins : []
        if let list = pick(self.corsOrigins, "FXA_CORS_ORIGINS") {
            corsOrigins = []
            for origin in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !origin.isEmpty {
                guard let url = URLComponents(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
                      url.host != nil, url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
                else { throw FxAError.invalidConfiguration("CORS origin \(origin) must be scheme://host[:port] with nothing after it") }
                corsOrigins.insert(origin)
            }
        }

        let profileCacheSeconds = try Self.integer(environment["FXA_PROFILE_CACHE_SECONDS"], name: "FXA_PROFILE_CACHE_SECONDS") ?? 2
        guard (0...300).contains(profileCacheSeconds) else {
            throw FxAError.invalidConfiguration("FXA_PROFILE_CACHE_SECONDS must be between 0 and 300")
        }

        var eventDelivery = EventDeliveryPolicy()
        let webhookTimeout = try Self.integer(environment["FXA_WEBHOOK_TIMEOUT_SECONDS"], name: "FXA_WEBHOOK_TIMEOUT_SECONDS") ?? 10
        guard (1...60).contains(webhookTimeout) else {
            throw FxAError.invalidConfiguration("FXA_WEBHOOK_TIMEOUT_SECONDS must be between 1 and 60")
        }
        let maxAgeHours = try Self.integer(environment["FXA_EVENT_MAX_AGE_HOURS"], name: "FXA_EVENT_MAX_AGE_HOURS") ?? 72
        guard (1...720).contains(maxAgeHours) else {
            throw FxAError.invalidConfiguration("FXA_EVENT_MAX_AGE_HOURS must be between 1 and 720")
        }
        eventDelivery.timeout = TimeInterval(webhookTimeout)
        // A claim outlives one attempt (sign, POST until the timeout, record)
        // with room to spare, and no more: it is also how long a crashed
        // instance's claims wait before another instance takes them over.
        eventDelivery.lease = TimeInterval(webhookTimeout) * 3
        eventDelivery.maxAge = TimeInterval(maxAgeHours) * 3600
        let retentionDays = try Self.integer(environment["FXA_EVENT_RETENTION_DAYS"], name: "FXA_EVENT_RETENTION_DAYS") ?? 30
        guard (1...3650).contains(retentionDays) else {
            throw FxAError.invalidConfiguration("FXA_EVENT_RETENTION_DAYS must be between 1 and 3650")
        }
        eventDelivery.retention = TimeInterval(retentionDays) * 24 * 3600

        let keyBearingScopes = try environment["FXA_KEY_BEARING_SCOPES"].map(KeyBearingScopes.init(configuration:))
            ?? .default
        var syncTokenserverURL: String?
        if let text = environment["FXA_SYNC_TOKENSERVER_URL"], !text.isEmpty {
            guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
                  url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
            else { throw FxAError.invalidConfiguration("FXA_SYNC_TOKENSERVER_URL must be an http(s) URL without query or fragment") }
            // Firefox appends /1.0/sync/1.5 itself.
            syncTokenserverURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        }

        var pushEndpoints = PushEndpointPolicy()
        if let text = environment["FXA_PUSH_ALLOWED_ORIGINS"], !text.isEmpty {
            guard let origins = PushEndpointPolicy.origins(configuration: text) else {
                throw FxAError.invalidConfiguration("FXA_PUSH_ALLOWED_ORIGINS must be comma-separated origins such as https://push.example.org")
            }
            pushEndpoints.extraOrigins = origins
        }

        return ServerConfiguration(
            host: host, port: port, publicURL: publicURL, database: database, dataDirectory: dataDirectory,
            signingKeys: signingKeys, metricsEnabled: metrics, logLevel: level, maxBodySize: maxBodySize,
            version: VersionInfo.detect(environment: environment), accountPolicy: accountPolicy,
            customs: customs, mode: mode, smtp: smtp, corsOrigins: corsOrigins, sqliteDurability: sqliteDurability,
            profileCacheSeconds: profileCacheSeconds, eventDelivery: eventDelivery, keyBearingScopes: keyBearingScopes,
            syncTokenserverURL: syncTokenserverURL, pushEndpoints: pushEndpoints)
    }

    private static func integer(_ value: String?, name: String) throws -> Int? {
        guard let value, !value.isEmpty else { return nil }
        guard let number = Int(value) else {
            throw FxAError.invalidConfiguration("\(name) must be a whole number, got \(value)")
        }
        return number
    }

    private static func boolean(_ value: String?, name: String) throws -> Bool? {
        guard let value, !value.isEmpty else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw FxAError.invalidConfiguration("\(name) must be true or false, got \(value)")
        }
    }
}
