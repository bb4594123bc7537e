/// The values of the settings from the flags and the environment, read and
/// checked by ``ServerSetting`` so every error names the setting.
struct SettingValues {
    let flags: [ServerSetting: String]
    let environment: [String: String]

    /// The flag's value, else the variable's, as given; an empty flag counts
    /// as absent, an empty variable does not (`FXA_KEY_BEARING_SCOPES=`
    /// turns scoped keys off).
    func raw(_ setting: ServerSetting) -> String? {
        if let flag = flags[setting], !flag.isEmpty { return flag }
        return environment[setting.environmentVariable]
    }

    /// The value, with an empty one counting as absent (the default applies).
    func text(_ setting: ServerSetting) -> String? {
        guard let value = raw(setting), !value.isEmpty else { return nil }
        return value
    }

    /// A whole number within `range`.
    func integer(_ setting: ServerSetting, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = text(setting) else { return nil }
        guard let number = Int(value) else { throw StartupError(setting, "must be a whole number, got \(value)") }
        guard range.contains(number) else {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw StartupError(setting, "must be \(bounds), got \(number)")
        }
        return number
    }

    /// `true`/`false` and their usual spellings.
    func boolean(_ setting: ServerSetting) throws -> Bool? {
        guard let value = text(setting) else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw StartupError(setting, "must be true or false, got \(value)")
        }
    }

    /// One of an enumeration's raw values, case-insensitively.
    func choice<Choice: RawRepresentable & CaseIterable>(_ setting: ServerSetting, of _: Choice.Type) throws -> Choice?
    where Choice.RawValue == String {
        guard let value = text(setting) else { return nil }
        guard let choice = Choice(rawValue: value.lowercased()) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: " or ")
            throw StartupError(setting, "must be \(names), got \(value)")
        }
        return choice
    }
}
