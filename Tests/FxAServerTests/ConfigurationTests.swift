import FxACore
import FxAServer
import FxAStore
import Foundation
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsServeOnLoopbackWithSQLiteInTheDataFolder() throws {
        let configuration = try ConfigurationInput().resolve(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9000)
        #expect(configuration.publicURL.string == "http://127.0.0.1:9000")
        #expect(configuration.database == .sqliteFile(path: "data/fxa.sqlite"))
        #expect(configuration.signingKeys == .database)
        #expect(configuration.metricsEnabled == false)
        #expect(configuration.logLevel == .info)
    }

    @Test func sqliteDurabilityIsFullUnlessTheOperatorChoosesNormal() throws {
        #expect(try ConfigurationInput().resolve(environment: [:]).sqliteDurability == .full)
        #expect(try ConfigurationInput().resolve(environment: ["FXA_SQLITE_SYNCHRONOUS": "NORMAL"]).sqliteDurability == .normal)
        #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_SQLITE_SYNCHRONOUS": "off"]) }
    }

    @Test func theProfileCacheLastsTwoSecondsUnlessTheOperatorChooses() throws {
        #expect(try ConfigurationInput().resolve(environment: [:]).profileCacheSeconds == 2)
        // Several instances may share PostgreSQL: a token destroyed on one
        // must be refused by the others at once, so no cache by default.
        let postgres = ["FXA_DATABASE_URL": "postgres://fxa@127.0.0.1:5432/fxa"]
        #expect(try ConfigurationInput().resolve(environment: postgres).profileCacheSeconds == 0)
        #expect(try ConfigurationInput().resolve(environment: postgres.merging(["FXA_PROFILE_CACHE_SECONDS": "5"]) { $1 })
            .profileCacheSeconds == 5)
        #expect(try ConfigurationInput().resolve(environment: ["FXA_PROFILE_CACHE_SECONDS": "0"]).profileCacheSeconds == 0)
        for bad in ["-1", "301", "soon"] {
            #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_PROFILE_CACHE_SECONDS": bad]) }
        }
    }

    @Test func aDefaultPortIsNotPartOfThePublicOrigin() throws {
        #expect(try PublicBaseURL("https://accounts.example:443/").origin == "https://accounts.example")
        #expect(try PublicBaseURL("http://127.0.0.1:80").string == "http://127.0.0.1")
        #expect(try PublicBaseURL("https://accounts.example:8443/fxa").string == "https://accounts.example:8443/fxa")
    }

    @Test func syncCarriesTheOnlyScopedKeyUnlessTheOperatorNamesOthers() throws {
        let defaults = try ConfigurationInput().resolve(environment: [:])
        #expect(defaults.keyBearingScopes.scopes == [.oldsync])
        #expect(defaults.syncTokenserverURL == nil)
        let chosen = try ConfigurationInput().resolve(environment: [
            "FXA_KEY_BEARING_SCOPES": "https://identity.mozilla.com/apps/oldsync, https://notes.example/keys",
            "FXA_SYNC_TOKENSERVER_URL": "https://sync.example/token/",
        ])
        #expect(chosen.keyBearingScopes.scopes == [.oldsync, OAuthScope("https://notes.example/keys")!])
        #expect(chosen.syncTokenserverURL == "https://sync.example/token", "Firefox adds /1.0/sync/1.5 after one slash")
        #expect(try ConfigurationInput().resolve(environment: ["FXA_KEY_BEARING_SCOPES": ""]).keyBearingScopes.scopes.isEmpty)
        for bad in ["profile", "http://notes.example/keys", "https://notes.example/keys#frag", "https://notes.example/"] {
            #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_KEY_BEARING_SCOPES": bad]) }
        }
        for bad in ["ftp://sync.example", "https://sync.example/?a=b", "sync.example"] {
            #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_SYNC_TOKENSERVER_URL": bad]) }
        }
    }

    @Test func eventsAreDeliveredUnlessTheOperatorTurnsDeliveryOff() throws {
        #expect(try ConfigurationInput().resolve(environment: [:]).eventDelivery.enabled)
        #expect(try !ConfigurationInput().resolve(environment: ["FXA_EVENT_DELIVERY": "off"]).eventDelivery.enabled)
        #expect(try ConfigurationInput().resolve(environment: ["FXA_EVENT_DELIVERY": "on"]).eventDelivery.enabled)
        #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_EVENT_DELIVERY": "later"]) }
        // Off says so at start-up: nothing else would tell the operator.
        let warnings = try ConfigurationInput().resolve(environment: ["FXA_EVENT_DELIVERY": "off"]).startupWarnings
        #expect(warnings.contains { $0.contains("FXA_EVENT_DELIVERY=off") })
    }

    @Test func eventHistoryIsKeptThirtyDaysUnlessTheOperatorChooses() throws {
        #expect(try ConfigurationInput().resolve(environment: [:]).eventDelivery.retention == 30 * 24 * 3600)
        #expect(try ConfigurationInput().resolve(environment: ["FXA_EVENT_RETENTION_DAYS": "7"]).eventDelivery.retention == 7 * 24 * 3600)
        for bad in ["0", "3651", "a week"] {
            #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: ["FXA_EVENT_RETENTION_DAYS": bad]) }
        }
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverDefaults() throws {
        let environment = [
            "FXA_PORT": "9100", "FXA_HOST": "127.0.0.2", "FXA_DATABASE_URL": "postgres://fxa@db/fxa",
            "FXA_METRICS": "true", "FXA_LOG_LEVEL": "debug",
        ]
        let fromEnvironment = try ConfigurationInput().resolve(environment: environment)
        #expect(fromEnvironment.port == 9100)
        #expect(fromEnvironment.host == "127.0.0.2")
        #expect(fromEnvironment.database == .postgres(url: "postgres://fxa@db/fxa"))
        #expect(fromEnvironment.metricsEnabled)
        #expect(fromEnvironment.logLevel == .debug)

        let fromFlags = try ConfigurationInput(
            flags: [.port: "9200", .databaseURL: "sqlite::memory:", .metrics: "false", .logLevel: "error"]
        ).resolve(environment: environment)
        #expect(fromFlags.port == 9200)
        #expect(fromFlags.host == "127.0.0.2")
        #expect(fromFlags.database == .sqliteInMemory)
        #expect(fromFlags.metricsEnabled == false)
        #expect(fromFlags.logLevel == .error)
    }

    @Test func theDataFolderMovesTheEmbeddedDatabase() throws {
        let configuration = try ConfigurationInput().resolve(environment: ["FXA_DATA_DIR": "/var/lib/fxa"])
        #expect(configuration.database == .sqliteFile(path: "/var/lib/fxa/fxa.sqlite"))
    }

    @Test func thePublicURLIsNormalisedAndDrivesHSTS() throws {
        let configuration = try ConfigurationInput(flags: [.publicURL: "HTTPS://Accounts.Example.org:8443/fxa/"]).resolve(environment: [:])
        #expect(configuration.publicURL.string == "https://accounts.example.org:8443/fxa")
        #expect(configuration.publicURL.isHTTPS)
        #expect(configuration.publicURL.appending("/v1/jwks") == "https://accounts.example.org:8443/fxa/v1/jwks")
    }

    @Test func startupWarnsOfAPlainHTTPOrDevelopmentServerOthersCanReach() throws {
        let smtp = "smtp://relay.example.org:587"
        let production = { (url: String) in
            try ConfigurationInput(flags: [.publicURL: url, .mode: "production", .smtpURL: smtp]).resolve(environment: [:]).startupWarnings
        }
        #expect(try production("https://accounts.example.org").isEmpty)
        #expect(try production("http://127.0.0.1:9000").isEmpty, "a developer's own machine")
        let plain = try production("http://accounts.example.org")
        #expect(plain.count == 1 && plain[0].contains("http://accounts.example.org") && plain[0].contains("https"), "\(plain)")

        #expect(try ConfigurationInput().resolve(environment: [:]).startupWarnings.isEmpty, "the default: development on loopback")
        let exposed = try ConfigurationInput(flags: [.publicURL: "https://accounts.example.org"]).resolve(environment: [:]).startupWarnings
        #expect(exposed.count == 1 && exposed[0].contains("/__mail__"), "\(exposed)")
        let everyInterface = try ConfigurationInput(flags: [.host: "0.0.0.0"]).resolve(environment: [:]).startupWarnings
        #expect(everyInterface.count == 1 && everyInterface[0].contains("/__mail__"), "listening beyond loopback: \(everyInterface)")

        // starttls=off is for a relay on this machine only, as the README says.
        let relay = { (url: String) in
            try ConfigurationInput(flags: [.publicURL: "https://accounts.example.org", .mode: "production", .smtpURL: url])
                .resolve(environment: [:]).startupWarnings
        }
        #expect(try relay("smtp://127.0.0.1:25?starttls=off").isEmpty)
        #expect(try relay("smtp://localhost:25?starttls=off").isEmpty)
        let remote = try relay("smtp://mail.example.org:25?starttls=off")
        #expect(remote.count == 1 && remote[0].contains("mail.example.org:25") && remote[0].contains("unencrypted"), "\(remote)")
    }

    @Test func listeningOnAllInterfacesStillDefaultsToALoopbackIssuer() throws {
        let configuration = try ConfigurationInput(flags: [.host: "0.0.0.0", .port: "8080"]).resolve(environment: [:])
        #expect(configuration.publicURL.string == "http://127.0.0.1:8080")
    }

    @Test(arguments: [
        ConfigurationInput(flags: [.port: "0"]),
        ConfigurationInput(flags: [.port: "70000"]),
        ConfigurationInput(flags: [.publicURL: "ftp://example.org"]),
        ConfigurationInput(flags: [.publicURL: "https://example.org/?q=1"]),
        ConfigurationInput(flags: [.publicURL: "https://user:pw@example.org"]),
        ConfigurationInput(flags: [.publicURL: "not a url"]),
        ConfigurationInput(flags: [.databaseURL: "mysql://db/fxa"]),
        ConfigurationInput(flags: [.previousSigningKeyFile: "/old.pem"]),
        ConfigurationInput(flags: [.logLevel: "loud"]),
        ConfigurationInput(flags: [.maxBodySize: "10"]),
    ])
    func invalidSettingsStopStartupWithAConfigurationError(_ input: ConfigurationInput) {
        #expect {
            try input.resolve(environment: [:])
        } throws: { error in
            error is StartupError
        }
    }

    @Test(arguments: [["FXA_PORT": "nine"], ["FXA_METRICS": "maybe"], ["FXA_MAX_BODY_SIZE": "1MB"]])
    func malformedEnvironmentValuesAreRefusedNotIgnored(_ environment: [String: String]) {
        #expect(throws: StartupError.self) { try ConfigurationInput().resolve(environment: environment) }
    }

    @Test func theSummaryNamesEverySettingButNoSecret() throws {
        let configuration = try ConfigurationInput(flags: [
            .databaseURL: "postgres://fxa:topsecretpw@db.internal/fxa", .signingKeyFile: "/etc/fxa/key.pem",
            .previousSigningKeyFile: "/etc/fxa/old.pem", .smtpURL: "smtps://mailer:mailpw@relay.example:465",
            .mailFrom: "accounts@example.org",
        ]).resolve(environment: ["FXA_SYNC_TOKENSERVER_URL": "https://sync.example/token"])
        let summary = configuration.summary
        #expect(!summary.contains("topsecretpw") && !summary.contains("mailpw"))
        #expect(summary.contains("database-url=postgres postgres://fxa:redacted@db.internal/fxa"))
        #expect(summary.contains("public-url=http://127.0.0.1:9000"))
        #expect(summary.contains("signing-key-file=/etc/fxa/key.pem previous-signing-key-file=/etc/fxa/old.pem"))
        #expect(summary.contains("rate-limit-ip=3000 "), "development's limit")
        let keys = Set(summary.split(separator: " ").compactMap { $0.split(separator: "=").first.map(String.init) })
        for setting in ServerSetting.all where setting != .sqliteSynchronous {
            #expect(keys.contains(setting.summaryKey), "\(setting) is missing from the summary")
        }
        #expect(!keys.contains(ServerSetting.sqliteSynchronous.summaryKey), "PostgreSQL has no SQLite durability")
    }

    @Test func everySettingHasItsOwnNames() {
        let variables = ServerSetting.all.map(\.environmentVariable)
        #expect(Set(variables).count == variables.count)
        #expect(variables.allSatisfy { $0.hasPrefix("FXA_") })
        let flags = ServerSetting.all.compactMap(\.flag).flatMap(\.spellings)
        #expect(Set(flags).count == flags.count)
        let keys = ServerSetting.all.map(\.summaryKey)
        #expect(Set(keys).count == keys.count)
    }

    @Test func errorsNameTheFlagAndTheVariable() {
        #expect(throws: StartupError(.port, "must be between 1 and 65535, got 0")) {
            try ConfigurationInput(flags: [.port: "0"]).resolve(environment: [:])
        }
        #expect(StartupError(.port, "must be between 1 and 65535, got 0").description
            == "--port / FXA_PORT: must be between 1 and 65535, got 0")
        #expect(throws: StartupError(.rateLimitIP, "must be a whole number, got lots")) {
            try ConfigurationInput().resolve(environment: ["FXA_RATE_LIMIT_IP": "lots"])
        }
    }

    /// The README's table is ``ServerSetting/markdownTable`` verbatim, so the
    /// documentation an operator reads is the table the server parses.
    @Test func theReadmeTableIsTheSettingsTable() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let begin = "<!-- settings: generated from ServerSetting.all, checked by ConfigurationTests -->\n"
        let end = "\n<!-- end of settings -->"
        let start = try #require(text.range(of: begin), "README.md has no settings table marker")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let table = String(text[start.upperBound..<stop.lowerBound])
        #expect(table == ServerSetting.markdownTable, "README.md's settings table differs; it should read:\n\(ServerSetting.markdownTable)")
    }
}

@Suite("Version detection")
struct VersionInfoTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fxa-version-\(SecureRandom.bytes(6).hexString)")
    let commit = "0123456789abcdef0123456789abcdef01234567"

    func write(_ text: String, to relative: String) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func aDockerflowVersionFileWins() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(#"{"source":"s","version":"2.0.0","commit":"\#(commit)","build":"b1"}"#, to: "version.json")
        let info = VersionInfo.detect(environment: [:], workingDirectory: folder.path, installedFile: nil)
        #expect(info == VersionInfo(source: "s", version: "2.0.0", commit: commit, build: "b1"))
    }

    @Test func anInstalledVersionFileIsReadWhenTheWorkingFolderHasNone() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write(#"{"source":"swift-fxa","version":"0.1.0","commit":"\#(commit)","build":"deb"}"#,
                  to: "usr/share/fxa-server/version.json")
        try write("", to: "var/lib/fxa-server/.keep")
        let installed = folder.appendingPathComponent("usr/share/fxa-server/version.json")
        let info = VersionInfo.detect(
            environment: [:], workingDirectory: folder.appendingPathComponent("var/lib/fxa-server").path,
            installedFile: installed)
        #expect(info.commit == commit && info.build == "deb")
        let overridden = VersionInfo.detect(
            environment: ["FXA_COMMIT": "abc"], workingDirectory: folder.path, installedFile: installed)
        #expect(overridden.commit == "abc" && overridden.build == "deb")
    }

    @Test func theCommitIsReadFromALooseRefOrPackedRefs() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("ref: refs/heads/main\n", to: ".git/HEAD")
        try write("# pack-refs\n\(commit) refs/heads/main\n", to: ".git/packed-refs")
        #expect(VersionInfo.detect(environment: [:], workingDirectory: folder.path, installedFile: nil).commit == commit)
        let newer = "89abcdef0123456789abcdef0123456789abcdef"
        try write(newer + "\n", to: ".git/refs/heads/main")
        #expect(VersionInfo.detect(environment: [:], workingDirectory: folder.path, installedFile: nil).commit == newer)
    }

    @Test func theEnvironmentOverridesAndUnknownIsTheFallback() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(VersionInfo.detect(environment: [:], workingDirectory: folder.path, installedFile: nil).commit == "unknown")
        #expect(VersionInfo.detect(environment: ["FXA_COMMIT": "abc"], workingDirectory: folder.path, installedFile: nil).commit == "abc")
    }
}

@Suite("Development mode")
struct DevelopmentModeTests {
    /// One developer on loopback: limits ten times production's, every
    /// loopback origin, and a guide to what to open next; none of it in
    /// production.
    @Test func developmentIsTunedForOneDeveloperAndProductionIsNot() throws {
        let development = try ConfigurationInput().resolve(environment: [:])
        #expect(development.customs == .development)
        #expect(development.customs.passwordAttemptsPerEmail == 10 * CustomsPolicy().passwordAttemptsPerEmail)
        let guide = development.developmentGuide.joined(separator: "\n")
        #expect(guide.contains("http://127.0.0.1:9000/signin") && guide.contains("http://127.0.0.1:9000/__mail__"))
        #expect(guide.contains("fxa-server client create"))
        let production = try ConfigurationInput().resolve(
            environment: ["FXA_MODE": "production", "FXA_SMTP_URL": "smtp://relay.test", "FXA_PUBLIC_URL": "https://a.example"])
        #expect(production.customs == CustomsPolicy())
        #expect(production.developmentGuide.isEmpty)
        let chosen = try ConfigurationInput().resolve(environment: ["FXA_RATE_LIMIT_CODE": "7"])
        #expect(chosen.customs.codeAttemptsPerAccount == 7, "an operator's value wins in either mode")
    }
}
