import FxACore
import FxAStore
import Foundation
import Logging

/// The settings given on the command line, before validation.
///
/// ``resolve(environment:)`` applies the precedence the README documents:
/// a flag wins over its `FXA_*` environment variable, which wins over the
/// default. Every value is read by its ``ServerSetting``, so a flag and its
/// variable are parsed by the same code and named the same way in errors.
/// Resolution is a pure function of its inputs so it can be tested without
/// a process.
public struct ConfigurationInput: Sendable {
    /// The flags given, as typed (`true`/`false` for a switch).
    public var flags: [ServerSetting: String]

    public init(flags: [ServerSetting: String] = [:]) {
        self.flags = flags
    }

    /// Validates and combines the inputs.
    ///
    /// - Throws: ``StartupError`` naming the setting at fault.
    public func resolve(environment: [String: String]) throws -> ServerConfiguration {
        let values = SettingValues(flags: flags, environment: environment)

        let host = values.text(.host) ?? "127.0.0.1"
        let port = try values.integer(.port, in: 1...65535) ?? 9000
        let defaultPublicHost = ["0.0.0.0", "::", "[::]"].contains(host) ? "127.0.0.1" : host
        let publicURL = try PublicBaseURL(values.text(.publicURL) ?? "http://\(defaultPublicHost):\(port)")

        let dataDirectory = values.text(.dataDirectory) ?? "data"
        let database: DatabaseLocation
        if let url = values.text(.databaseURL) {
            do {
                database = try DatabaseLocation(url: url)
            } catch {
                throw StartupError(.databaseURL, "must start with postgres://, postgresql://, postgres+uds:// or sqlite:")
            }
        } else {
            database = .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("fxa.sqlite"))
        }
        let sqliteDurability = try values.choice(.sqliteSynchronous, of: SQLiteDurability.self) ?? .full

        let signingKeys: ServerConfiguration.SigningKeySource
        let previousFile = values.text(.previousSigningKeyFile)
        if let currentFile = values.text(.signingKeyFile) {
            signingKeys = .files(current: currentFile, previous: previousFile)
        } else if previousFile != nil {
            throw StartupError(.previousSigningKeyFile, "needs a current signing key file (\(ServerSetting.signingKeyFile))")
        } else {
            signingKeys = .database
        }

        let levelName = values.text(.logLevel)?.lowercased() ?? "info"
        guard let logLevel = Logger.Level(rawValue: levelName) else {
            throw StartupError(.logLevel, "must be trace, debug, info, notice, warning, error or critical, got \(levelName)")
        }
        let mode = try values.choice(.mode, of: ServerMode.self) ?? .development

        return ServerConfiguration(
            host: host, port: port, publicURL: publicURL, database: database, dataDirectory: dataDirectory,
            signingKeys: signingKeys, metricsEnabled: try values.boolean(.metrics) ?? false, logLevel: logLevel,
            maxBodySize: try values.integer(.maxBodySize, in: 1024...Int.max) ?? 1 << 20,
            version: VersionInfo.detect(environment: environment), accountPolicy: try accountPolicy(values),
            customs: try customs(values, mode: mode), mode: mode, smtp: try smtp(values, mode: mode, publicURL: publicURL),
            corsOrigins: try corsOrigins(values, mode: mode),
            corsAllowsLoopbackOrigins: mode == .development && values.text(.corsOrigins) == nil,
            trustedProxies: try trustedProxies(values),
            sqliteDurability: sqliteDurability,
            profileCacheSeconds: try values.integer(.profileCacheSeconds, in: 0...300) ?? (database.isShared ? 0 : 2),
            eventDelivery: try eventDelivery(values),
            keyBearingScopes: try values.raw(.keyBearingScopes).map(KeyBearingScopes.init(configuration:)) ?? .default,
            syncEnabled: try values.boolean(.sync) ?? false, syncTokenserverURL: try syncTokenserverURL(values),
            pushEndpoints: try pushEndpoints(values))
    }

    private func smtp(_ values: SettingValues, mode: ServerMode, publicURL: PublicBaseURL) throws -> SMTPSettings? {
        guard let url = values.text(.smtpURL) else {
            if mode == .production {
                throw StartupError(.smtpURL, "production mode sends mail by SMTP: set it (or run with --mode development)")
            }
            return nil
        }
        let from = values.text(.mailFrom) ?? "accounts@\(URLComponents(string: publicURL.string)?.host ?? "localhost")"
        return try SMTPSettings(url: url, from: from)
    }

    private func accountPolicy(_ values: SettingValues) throws -> AccountPolicy {
        let signupText = values.text(.signup) ?? "open"
        guard let signup = SignupPolicy(configuration: signupText) else {
            throw StartupError(.signup, "must be open, closed or a list of addresses and @domains")
        }
        return AccountPolicy(
            autoVerify: try values.boolean(.autoVerify) ?? false, signup: signup,
            confirmSignins: try values.boolean(.confirmSignins) ?? false)
    }

    private func customs(_ values: SettingValues, mode: ServerMode) throws -> CustomsPolicy {
        let defaults = mode == .development ? CustomsPolicy.development : CustomsPolicy()
        let limits = 0...Int.max
        return CustomsPolicy(
            window: TimeInterval(try values.integer(.rateLimitWindow, in: 1...Int.max) ?? Int(defaults.window)),
            passwordAttemptsPerEmail: try values.integer(.rateLimitPassword, in: limits) ?? defaults.passwordAttemptsPerEmail,
            codeAttemptsPerAccount: try values.integer(.rateLimitCode, in: limits) ?? defaults.codeAttemptsPerAccount,
            emailsPerAddress: try values.integer(.rateLimitEmail, in: limits) ?? defaults.emailsPerAddress,
            attemptsPerIP: try values.integer(.rateLimitIP, in: limits) ?? defaults.attemptsPerIP,
            deviceMessagesPerAccount: try values.integer(.rateLimitDevice, in: limits) ?? defaults.deviceMessagesPerAccount)
    }

    private func corsOrigins(_ values: SettingValues, mode: ServerMode) throws -> Set<String> {
        // Development's default is every loopback origin (corsAllowsLoopbackOrigins).
        guard let list = values.text(.corsOrigins) else { return [] }
        var origins: Set<String> = []
        for origin in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !origin.isEmpty {
            guard let url = URLComponents(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
                  url.host != nil, url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
            else { throw StartupError(.corsOrigins, "\(origin) must be scheme://host[:port] with nothing after it") }
            origins.insert(origin)
        }
        return origins
    }

    private func eventDelivery(_ values: SettingValues) throws -> EventDeliveryPolicy {
        var policy = EventDeliveryPolicy()
        let timeout = try values.integer(.webhookTimeout, in: 1...60) ?? 10
        policy.timeout = TimeInterval(timeout)
        // A claim outlives one attempt (sign, POST until the timeout, record)
        // with room to spare, and no more: it is also how long a crashed
        // instance's claims wait before another instance takes them over.
        policy.lease = TimeInterval(timeout) * 3
        policy.maxAge = TimeInterval(try values.integer(.eventMaxAge, in: 1...720) ?? 72) * 3600
        policy.retention = TimeInterval(try values.integer(.eventRetention, in: 1...3650) ?? 30) * 24 * 3600
        policy.enabled = try values.boolean(.eventDelivery) ?? true
        return policy
    }

    private func syncTokenserverURL(_ values: SettingValues) throws -> String? {
        guard let text = values.text(.syncTokenserverURL) else { return nil }
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
        else { throw StartupError(.syncTokenserverURL, "must be an http(s) URL without query or fragment") }
        // Firefox appends /1.0/sync/1.5 itself.
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private func trustedProxies(_ values: SettingValues) throws -> TrustedProxies {
        guard let text = values.text(.trustedProxies) else { return TrustedProxies() }
        guard let proxies = TrustedProxies(configuration: text) else {
            throw StartupError(.trustedProxies, "must be comma-separated IP addresses or CIDR ranges such as 127.0.0.1,10.0.0.0/8")
        }
        return proxies
    }

    private func pushEndpoints(_ values: SettingValues) throws -> PushEndpointPolicy {
        guard let text = values.text(.pushAllowedOrigins) else { return PushEndpointPolicy() }
        guard let origins = PushEndpointPolicy.origins(configuration: text) else {
            throw StartupError(.pushAllowedOrigins, "must be comma-separated origins such as https://push.example.org")
        }
        return PushEndpointPolicy(extraOrigins: origins)
    }
}
