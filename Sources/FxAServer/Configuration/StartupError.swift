/// Why `fxa-server` could not start: a setting that cannot work, or a file or
/// service a setting names that is not usable.
///
/// Its own type, not ``FxAError``: it never reaches a client, has no HTTP
/// status or errno, and is printed to an operator as one sentence that
/// names the setting to fix (`--port / FXA_PORT: must be between 1 and
/// 65535, got 0`).
public struct StartupError: Error, Equatable, CustomStringConvertible {
    /// The setting to change, when one is at fault.
    public let setting: ServerSetting?
    /// What is wrong, in the operator's terms.
    public let reason: String

    public init(_ setting: ServerSetting?, _ reason: String) {
        self.setting = setting
        self.reason = reason
    }

    public var description: String {
        setting.map { "\($0): \(reason)" } ?? reason
    }
}
