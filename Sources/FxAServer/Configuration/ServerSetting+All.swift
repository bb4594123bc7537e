import Foundation

/// The settings, in the order the README and the startup summary list them.
/// Adding a setting: a constant here, a line in ``ServerSetting/all``, its
/// parsing in ``ConfigurationInput/resolve(environment:)``, and, if it has a
/// flag, the property in `fxa-server`'s `Options.swift` (a test checks that
/// the flags and this table agree, another that the README shows this table).
extension ServerSetting {
    public static let all: [ServerSetting] = [
        .host, .port, .publicURL, .databaseURL, .dataDirectory, .sqliteSynchronous, .signingKeyFile,
        .previousSigningKeyFile, .metrics, .logLevel, .maxBodySize, .commit, .mode, .smtpURL, .mailFrom, .signup,
        .autoVerify, .confirmSignins, .corsOrigins, .trustedProxies, .rateLimitWindow, .rateLimitPassword, .rateLimitCode,
        .rateLimitEmail, .rateLimitDevice, .rateLimitIP, .webhookTimeout, .eventMaxAge, .eventRetention, .eventDelivery,
        .keyBearingScopes, .sync, .syncTokenserverURL, .pushAllowedOrigins, .profileCacheSeconds,
    ]

    public static let host = ServerSetting(
        "FXA_HOST", flag: .option("host"), default: "`127.0.0.1`",
        meaning: "address to listen on",
        summary: { $0.host })

    public static let port = ServerSetting(
        "FXA_PORT", flag: .option("port"), default: "`9000`",
        meaning: "port to listen on",
        summary: { String($0.port) })

    public static let publicURL = ServerSetting(
        "FXA_PUBLIC_URL", flag: .option("public-url"), default: "`http://<host>:<port>`",
        meaning: "public base URL: the OIDC issuer and the base of every absolute URL the server emits. "
            + "Set it when running behind a proxy; `https://` turns on HSTS",
        summary: { $0.publicURL.string })

    public static let databaseURL = ServerSetting(
        "FXA_DATABASE_URL", flag: .option("database-url"), scope: .everyCommand, default: "SQLite in the data folder",
        meaning: "`postgres://user:pass@host:5432/db[?tlsmode=disable|prefer|require]`, "
            + "`postgres+uds://user@localhost/path/to/socket#db`, `sqlite:///absolute/path`, "
            + "`sqlite://relative/path` or `sqlite::memory:`",
        summary: { $0.database.redactedDescription })

    public static let dataDirectory = ServerSetting(
        "FXA_DATA_DIR", flag: .option("data-dir"), scope: .everyCommand, default: "`./data`",
        meaning: "folder of the embedded database",
        summary: { $0.dataDirectory })

    public static let sqliteSynchronous = ServerSetting(
        "FXA_SQLITE_SYNCHRONOUS", default: "`full`",
        meaning: "`full`: SQLite fsyncs every commit (concurrent writes share one commit, so one fsync serves "
            + "many), so nothing acknowledged is lost even on a power cut; "
            + "`normal`: fsync at WAL checkpoints only (about a fifth more code flows per second on the build "
            + "machine), and a power cut (not a process crash) may drop the last moments of commits. "
            + "Never corrupts either way",
        summary: { $0.database.isPostgres ? nil : $0.sqliteDurability.rawValue })

    public static let signingKeyFile = ServerSetting(
        "FXA_SIGNING_KEY_FILE", flag: .option("signing-key-file"), default: "a generated key kept in the database",
        meaning: "PEM RSA private key (≥ 2048 bits) to sign with instead of a generated one",
        summary: { configuration in
            if case .files(let current, _) = configuration.signingKeys { return current }
            return "database"
        })

    public static let previousSigningKeyFile = ServerSetting(
        "FXA_PREVIOUS_SIGNING_KEY_FILE", flag: .option("previous-signing-key-file"), default: "none",
        meaning: "PEM key that no longer signs but stays in the JWKS",
        summary: { configuration in
            if case .files(_, let previous?) = configuration.signingKeys { return previous }
            return nil
        })

    public static let metrics = ServerSetting(
        "FXA_METRICS", flag: .enableDisable("metrics"), default: "off",
        meaning: "serve Prometheus metrics at `/metrics`",
        summary: { $0.metricsEnabled ? "on" : "off" })

    public static let logLevel = ServerSetting(
        "FXA_LOG_LEVEL", flag: .option("log-level"), scope: .everyCommand, default: "`info`",
        meaning: "trace, debug, info, notice, warning, error, critical",
        summary: { $0.logLevel.rawValue })

    public static let maxBodySize = ServerSetting(
        "FXA_MAX_BODY_SIZE", flag: .option("max-body-size"), default: "`1048576`",
        meaning: "largest request body in bytes (larger: 413, errno 113)",
        summary: { String($0.maxBodySize) })

    public static let commit = ServerSetting(
        "FXA_COMMIT", default: "from `version.json` or `.git`",
        meaning: "commit reported by `/__version__`",
        summary: { $0.version.commit })

    public static let mode = ServerSetting(
        "FXA_MODE", flag: .option("mode"), default: "`development`",
        meaning: "`development` keeps mail in the built-in mailbox (`/__mail__`, `/mail/<name>`); `production` "
            + "sends it by SMTP and serves no mailbox, and refuses to start without `FXA_SMTP_URL`",
        summary: { $0.mode.rawValue })

    public static let smtpURL = ServerSetting(
        "FXA_SMTP_URL", flag: .option("smtp-url"), default: "none",
        meaning: "`smtp://user:pass@host:587` (STARTTLS required), `smtps://user:pass@host:465` (TLS), or "
            + "`smtp://host:25?starttls=off` for a relay on the same host only",
        summary: { $0.smtp?.redactedDescription ?? "none" })

    public static let mailFrom = ServerSetting(
        "FXA_MAIL_FROM", flag: .option("mail-from"), default: "`accounts@<public host>`",
        meaning: "From address of the server's mail",
        summary: { $0.smtp?.from })

    public static let signup = ServerSetting(
        "FXA_SIGNUP", flag: .option("signup"), default: "`open`",
        meaning: "`open`, `closed` (accounts only from `fxa-server account create`), or an allow-list such as "
            + "`alice@example.org,@example.org`",
        summary: { $0.accountPolicy.signup.summary })

    public static let autoVerify = ServerSetting(
        "FXA_AUTO_VERIFY", flag: .onOff("auto-verify"), default: "off",
        meaning: "mark new accounts verified without an emailed code, for instances without working mail",
        summary: { $0.accountPolicy.autoVerify ? "on" : "off" })

    public static let confirmSignins = ServerSetting(
        "FXA_CONFIRM_SIGNINS", flag: .onOff("confirm-signins"), default: "off",
        meaning: "every sign-in of a verified account must be confirmed with an emailed 6-digit code "
            + "(`/v1/session/verify_code`) before it is verified",
        summary: { $0.accountPolicy.confirmSignins ? "on" : "off" })

    public static let corsOrigins = ServerSetting(
        "FXA_CORS_ORIGINS", flag: .option("cors-origins"),
        default: "development: any `http://localhost`, `127.0.0.1` or `[::1]` origin, whatever its port; production: none",
        meaning: "browser origins (exact `scheme://host[:port]`) allowed to call the API cross-origin; others get "
            + "no CORS headers and a refused preflight",
        summary: { configuration in
            let listed = configuration.corsOrigins.sorted()
            let loopback = configuration.corsAllowsLoopbackOrigins ? ["any-loopback"] : []
            return listed.isEmpty && loopback.isEmpty ? "none" : (loopback + listed).joined(separator: ",")
        })

    public static let trustedProxies = ServerSetting(
        "FXA_TRUSTED_PROXIES", flag: .option("trusted-proxies"), default: "none",
        meaning: "addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`) of reverse proxies whose `X-Forwarded-For` names "
            + "the client, for the per-IP limit: the right-most address no trusted proxy stands for. Without "
            + "it, every request behind a proxy counts as the proxy's",
        summary: { $0.trustedProxies.summary })


    public static let rateLimitWindow = ServerSetting(
        "FXA_RATE_LIMIT_WINDOW", default: "`900`",
        meaning: "seconds over which the limits below count",
        summary: { String(Int($0.customs.window)) })

    public static let rateLimitPassword = ServerSetting(
        "FXA_RATE_LIMIT_PASSWORD", default: "`20`; development: `200`",
        meaning: "sign-ups, logins, deletions and password-change starts per email",
        summary: { String($0.customs.passwordAttemptsPerEmail) })

    public static let rateLimitCode = ServerSetting(
        "FXA_RATE_LIMIT_CODE", default: "`10`; development: `100`",
        meaning: "code verifications per account, and per address for the 6-digit sign-up and sign-in codes (a code is also burnt after 5 guesses)",
        summary: { String($0.customs.codeAttemptsPerAccount) })

    public static let rateLimitEmail = ServerSetting(
        "FXA_RATE_LIMIT_EMAIL", default: "`5`; development: `50`",
        meaning: "emails sent per address",
        summary: { String($0.customs.emailsPerAddress) })

    public static let rateLimitDevice = ServerSetting(
        "FXA_RATE_LIMIT_DEVICE", default: "`300`; development: `3000`",
        meaning: "Send Tab commands and device notifications per account (each stores a command or sends pushes)",
        summary: { String($0.customs.deviceMessagesPerAccount) })

    public static let rateLimitIP = ServerSetting(
        "FXA_RATE_LIMIT_IP", default: "`300`; development: `3000`",
        meaning: "all of the above from one IP address. Behind a reverse proxy set `FXA_TRUSTED_PROXIES`, or every "
            + "request counts as the proxy's",
        summary: { String($0.customs.attemptsPerIP) })

    public static let webhookTimeout = ServerSetting(
        "FXA_WEBHOOK_TIMEOUT_SECONDS", default: "`10`",
        meaning: "longest wait for a relying party's webhook to answer (1–60)",
        summary: { String(Int($0.eventDelivery.timeout)) })

    public static let eventMaxAge = ServerSetting(
        "FXA_EVENT_MAX_AGE_HOURS", default: "`72`",
        meaning: "how long a failing event delivery is retried, with exponential backoff, before it is marked "
            + "failed and kept for `fxa-server events retry` (1–720)",
        summary: { String(Int($0.eventDelivery.maxAge / 3600)) })

    public static let eventRetention = ServerSetting(
        "FXA_EVENT_RETENTION_DAYS", default: "`30`",
        meaning: "delivered webhook deliveries and outbox events older than this are deleted every 10 minutes; "
            + "pending and failed deliveries are kept (1–3650)",
        summary: { String(Int($0.eventDelivery.retention / 86400)) })

    public static let eventDelivery = ServerSetting(
        "FXA_EVENT_DELIVERY", default: "`on`",
        meaning: "`off`: this instance queues webhook events but does not deliver them; another instance on the "
            + "same PostgreSQL delivers them, or this one once it is back `on` (maintenance, `bench/events`)",
        summary: { $0.eventDelivery.enabled ? "on" : "off" })

    public static let keyBearingScopes = ServerSetting(
        "FXA_KEY_BEARING_SCOPES", default: "`https://identity.mozilla.com/apps/oldsync`",
        meaning: "comma-separated `https://` URL scopes whose clients receive a scoped encryption key derived "
            + "from the user's kB (see `docs/scoped-keys.md`); empty turns scoped keys off",
        summary: { $0.keyBearingScopes.description })

    public static let sync = ServerSetting(
        "FXA_SYNC", default: "`off`",
        meaning: "`on`: serve Firefox Sync's tokenserver at `/token/1.0/sync/1.5` and announce it to Firefox "
            + "(unless `FXA_SYNC_TOKENSERVER_URL` names another). Sync storage is not served yet: see `docs/sync/README.md`",
        summary: { $0.syncEnabled ? "on" : "off" })

    public static let syncTokenserverURL = ServerSetting(
        "FXA_SYNC_TOKENSERVER_URL", default: "none",
        meaning: "the Sync tokenserver (e.g. syncstorage-rs) announced to Firefox in "
            + "`/.well-known/fxa-client-configuration`, without `/1.0/sync/1.5`",
        summary: { $0.syncTokenserverURL ?? "none" })

    public static let pushAllowedOrigins = ServerSetting(
        "FXA_PUSH_ALLOWED_ORIGINS", default: "none",
        meaning: "origins of push services besides Mozilla's (`https://*.services.mozilla.com`) that devices' "
            + "Web Push endpoints may be on, such as a self-hosted autopush; comma-separated",
        summary: { $0.pushEndpoints.extraOrigins.isEmpty ? "none" : $0.pushEndpoints.extraOrigins.sorted().joined(separator: ",") })

    public static let profileCacheSeconds = ServerSetting(
        "FXA_PROFILE_CACHE_SECONDS", default: "`2` on SQLite, `0` on PostgreSQL",
        meaning: "how long the profile API reuses a verified access token and its profile (0–300, `0` = off). "
            + "Changes made by the same process (a destroyed token, a new display name) are seen at once; changes "
            + "made by another instance or by the `fxa-server` CLI are seen within this many seconds, which is why "
            + "it is off by default where several instances share one PostgreSQL: a token destroyed on one is "
            + "refused by the others at once",
        summary: { String($0.profileCacheSeconds) })
}
