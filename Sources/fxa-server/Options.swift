import ArgumentParser
import FxAServer

/// Options every command shares: which database, and how much to log.
///
/// Each flag's name and help come from its ``ServerSetting``; every value is
/// taken as text and checked by ``ConfigurationInput/resolve(environment:)``,
/// so a bad `--port` and a bad `FXA_PORT` get the same message.
struct StorageOptions: ParsableArguments {
    @Option(name: ServerSetting.databaseURL.argumentName, help: ServerSetting.databaseURL.argumentHelp)
    var databaseURL: String?

    @Option(name: ServerSetting.dataDirectory.argumentName, help: ServerSetting.dataDirectory.argumentHelp)
    var dataDirectory: String?

    @Option(name: ServerSetting.logLevel.argumentName, help: ServerSetting.logLevel.argumentHelp)
    var logLevel: String?

    /// The flags given, by setting.
    var flags: [ServerSetting: String?] {
        [.databaseURL: databaseURL, .dataDirectory: dataDirectory, .logLevel: logLevel]
    }
}

/// Options only the HTTP server needs.
struct ServeOptions: ParsableArguments {
    @Option(name: ServerSetting.host.argumentName, help: ServerSetting.host.argumentHelp)
    var host: String?

    @Option(name: ServerSetting.port.argumentName, help: ServerSetting.port.argumentHelp)
    var port: String?

    @Option(name: ServerSetting.publicURL.argumentName, help: ServerSetting.publicURL.argumentHelp)
    var publicURL: String?

    @Option(name: ServerSetting.signingKeyFile.argumentName, help: ServerSetting.signingKeyFile.argumentHelp)
    var signingKeyFile: String?

    @Option(name: ServerSetting.previousSigningKeyFile.argumentName, help: ServerSetting.previousSigningKeyFile.argumentHelp)
    var previousSigningKeyFile: String?

    @Flag(name: ServerSetting.metrics.argumentName, inversion: .prefixedEnableDisable, help: ServerSetting.metrics.argumentHelp)
    var metrics: Bool?

    @Option(name: ServerSetting.maxBodySize.argumentName, help: ServerSetting.maxBodySize.argumentHelp)
    var maxBodySize: String?

    @Option(name: ServerSetting.mode.argumentName, help: ServerSetting.mode.argumentHelp)
    var mode: String?

    @Option(name: ServerSetting.smtpURL.argumentName, help: ServerSetting.smtpURL.argumentHelp)
    var smtpURL: String?

    @Option(name: ServerSetting.mailFrom.argumentName, help: ServerSetting.mailFrom.argumentHelp)
    var mailFrom: String?

    @Option(name: ServerSetting.signup.argumentName, help: ServerSetting.signup.argumentHelp)
    var signup: String?

    @Flag(name: ServerSetting.autoVerify.argumentName, inversion: .prefixedNo, help: ServerSetting.autoVerify.argumentHelp)
    var autoVerify: Bool?

    @Flag(name: ServerSetting.confirmSignins.argumentName, inversion: .prefixedNo, help: ServerSetting.confirmSignins.argumentHelp)
    var confirmSignins: Bool?

    @Option(name: ServerSetting.corsOrigins.argumentName, help: ServerSetting.corsOrigins.argumentHelp)
    var corsOrigins: String?

    @Option(name: ServerSetting.trustedProxies.argumentName, help: ServerSetting.trustedProxies.argumentHelp)
    var trustedProxies: String?

    /// The flags given, by setting.
    var flags: [ServerSetting: String?] {
        [
            .host: host, .port: port, .publicURL: publicURL, .signingKeyFile: signingKeyFile,
            .previousSigningKeyFile: previousSigningKeyFile, .metrics: metrics.map(String.init), .maxBodySize: maxBodySize,
            .mode: mode, .smtpURL: smtpURL, .mailFrom: mailFrom, .signup: signup,
            .autoVerify: autoVerify.map(String.init), .confirmSignins: confirmSignins.map(String.init),
            .corsOrigins: corsOrigins, .trustedProxies: trustedProxies,
        ]
    }
}

extension ServerSetting {
    /// The flag's name as ArgumentParser declares it (the `enable-`/`no-`
    /// prefixes are added by the inversion). Only settings with a flag have
    /// properties in these option groups; the command tests check both ways.
    var argumentName: NameSpecification {
        guard let flag else { preconditionFailure("\(environmentVariable) has no flag") }
        return .customLong(flag.name)
    }

    /// The flag's `--help` text.
    var argumentHelp: ArgumentHelp { ArgumentHelp(help) }
}

extension ConfigurationInput {
    /// Collects the flags of a command into one input to resolve.
    init(storage: StorageOptions, serve: ServeOptions? = nil) {
        let given = storage.flags.merging(serve?.flags ?? [:]) { first, _ in first }
        self.init(flags: given.compactMapValues { $0 })
    }
}
