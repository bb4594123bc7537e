import Foundation

/// One thing an operator can set: its environment variable, its flag (if it
/// has one), its default and what it means, declared once in
/// ``ServerSetting/all``.
///
/// Everything an operator reads about a setting is made from this one
/// declaration: the flags' `--help`, the README's configuration table (a test
/// compares the two), the startup summary's `name=value` pairs and the name
/// in a ``StartupError``. ``ConfigurationInput`` reads values by setting, so
/// a setting cannot be parsed under one name and documented under another.
public struct ServerSetting: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable, e.g. `FXA_PORT`; also the setting's identity.
    public let environmentVariable: String
    /// The command-line form, or `nil` for settings only the environment sets
    /// (tuning values an operator sets once, in a unit file).
    public let flag: Flag?
    /// Which commands take the flag.
    public let scope: Scope
    /// The default, as the README shows it (Markdown: code in backticks).
    public let defaultValue: String
    /// What the setting does, as the README shows it (Markdown: code in
    /// backticks, nothing else).
    public let meaning: String
    /// The resolved value for the startup log, never a secret; `nil` leaves
    /// the setting out of the summary.
    let summarize: @Sendable (ServerConfiguration) -> String?

    /// A setting's command-line form.
    public enum Flag: Sendable, Hashable {
        /// `--name value`.
        case option(String)
        /// `--enable-name` / `--disable-name`.
        case enableDisable(String)
        /// `--name` / `--no-name`.
        case onOff(String)

        /// The long name without dashes, as ArgumentParser declares it.
        public var name: String {
            switch self {
            case .option(let name), .enableDisable(let name), .onOff(let name): name
            }
        }

        /// Every spelling on the command line, e.g. `["--enable-metrics", "--disable-metrics"]`.
        public var spellings: [String] {
            switch self {
            case .option(let name): ["--\(name)"]
            case .enableDisable(let name): ["--enable-\(name)", "--disable-\(name)"]
            case .onOff(let name): ["--\(name)", "--no-\(name)"]
            }
        }
    }

    /// The commands a flag belongs to.
    public enum Scope: Sendable, Hashable {
        /// Every command: which database, and how much to log. `migrate` and
        /// `client list` must open the database `serve` would.
        case everyCommand
        /// `serve` only.
        case serve
    }

    init(
        _ environmentVariable: String, flag: Flag? = nil, scope: Scope = .serve, default defaultValue: String,
        meaning: String, summary: @escaping @Sendable (ServerConfiguration) -> String?
    ) {
        self.environmentVariable = environmentVariable
        self.flag = flag
        self.scope = scope
        self.defaultValue = defaultValue
        self.meaning = meaning
        summarize = summary
    }

    /// How an error message names the setting: both forms when it has a flag.
    public var description: String {
        flag.map { "\($0.spellings[0]) / \(environmentVariable)" } ?? environmentVariable
    }

    /// The key of the setting in the startup summary: the flag's name, or the
    /// variable's without `FXA_` (`FXA_RATE_LIMIT_IP` → `rate-limit-ip`).
    public var summaryKey: String {
        flag?.name ?? environmentVariable.dropFirst("FXA_".count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The `--help` text of the flag: the meaning, the variable and the
    /// default, without Markdown.
    public var help: String {
        "\(Self.plain(meaning)) (env \(environmentVariable); default \(Self.plain(defaultValue)))."
    }

    /// The row of the README's table.
    public var markdownRow: String {
        let flagCell = flag.map { $0.spellings.map { "`\($0)`" }.joined(separator: " / ") } ?? ""
        let cells = [flagCell, "`\(environmentVariable)`", defaultValue, meaning].map(Self.escapingPipes)
        return "| " + cells.joined(separator: " | ") + " |"
    }

    /// The README's configuration table, header included.
    public static var markdownTable: String {
        (["| flag | environment | default | meaning |", "|---|---|---|---|"] + all.map(\.markdownRow))
            .joined(separator: "\n")
    }

    /// `name=value` for every setting, in table order, secrets redacted.
    public static func summary(of configuration: ServerConfiguration) -> String {
        all.compactMap { setting in setting.summarize(configuration).map { "\(setting.summaryKey)=\($0)" } }
            .joined(separator: " ")
    }

    public static func == (lhs: ServerSetting, rhs: ServerSetting) -> Bool {
        lhs.environmentVariable == rhs.environmentVariable
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(environmentVariable) }

    private static func plain(_ markdown: String) -> String {
        markdown.replacingOccurrences(of: "`", with: "")
    }

    private static func escapingPipes(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|")
    }
}
