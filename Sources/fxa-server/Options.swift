import ArgumentParser
import FxAServer

/// Options every command shares: which database, and how much to log.
struct StorageOptions: ParsableArguments {
    @Option(help: "Database URL: postgres://user:pass@host:5432/db, sqlite:///path/to/file or sqlite::memory: (env FXA_DATABASE_URL; default: SQLite in the data folder).")
    var databaseURL: String?

    @Option(help: "Folder for the embedded SQLite database (env FXA_DATA_DIR; default ./data).")
    var dataDir: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env FXA_LOG_LEVEL; default info).")
    var logLevel: String?
}

/// Options only the HTTP server needs.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (env FXA_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env FXA_PORT; default 9000).")
    var port: Int?

    @Option(help: "Public base URL and OIDC issuer, e.g. https://accounts.example.org (env FXA_PUBLIC_URL; default http://<host>:<port>).")
    var publicURL: String?

    @Option(help: "PEM RSA private key to sign with instead of a key kept in the database (env FXA_SIGNING_KEY_FILE).")
    var signingKeyFile: String?

    @Option(help: "PEM RSA private key that no longer signs but stays in the JWKS (env FXA_PREVIOUS_SIGNING_KEY_FILE).")
    var previousSigningKeyFile: String?

    @Flag(inversion: .prefixedEnableDisable, help: "Serve Prometheus metrics at /metrics (env FXA_METRICS; default off).")
    var metrics: Bool?

    @Option(help: "Largest request body in bytes (env FXA_MAX_BODY_SIZE; default 1048576).")
    var maxBodySize: Int?

    @Option(help: "development or production (env FXA_MODE; default development). Production sends mail by SMTP and serves no mailbox.")
    var mode: String?

    @Option(help: "SMTP relay, smtp://user:pass@host:587 or smtps://user:pass@host:465 (env FXA_SMTP_URL).")
    var smtpURL: String?

    @Option(help: "From address of the server's mail (env FXA_MAIL_FROM; default accounts@<public host>).")
    var mailFrom: String?

    @Option(help: "Who may sign up: open, closed, or a comma-separated allow-list of addresses and @domains (env FXA_SIGNUP).")
    var signup: String?

    @Flag(inversion: .prefixedNo, help: "Mark new accounts verified without an emailed code (env FXA_AUTO_VERIFY; default off).")
    var autoVerify: Bool?

    @Flag(inversion: .prefixedNo, help: "Confirm each sign-in with an emailed code (env FXA_CONFIRM_SIGNINS; default off).")
    var confirmSignins: Bool?

    @Option(help: "Comma-separated browser origins allowed to call the API (env FXA_CORS_ORIGINS; default: the integration guide's loopback origins in development, none in production).")
    var corsOrigins: String?
}

extension ConfigurationInput {
    /// Collects the flags of a command into one input to resolve.
    init(storage: StorageOptions, serve: ServeOptions? = nil) {
        self.init(
            host: serve?.host, port: serve?.port, publicURL: serve?.publicURL,
            databaseURL: storage.databaseURL, dataDirectory: storage.dataDir,
            signingKeyFile: serve?.signingKeyFile, previousSigningKeyFile: serve?.previousSigningKeyFile,
            metrics: serve?.metrics, logLevel: storage.logLevel, maxBodySize: serve?.maxBodySize,
            mode: serve?.mode, autoVerify: serve?.autoVerify, signup: serve?.signup,
            confirmSignins: serve?.confirmSignins, smtpURL: serve?.smtpURL, mailFrom: serve?.mailFrom,
            corsOrigins: serve?.corsOrigins)
    }
}
