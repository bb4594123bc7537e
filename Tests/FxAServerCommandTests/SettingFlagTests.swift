import ArgumentParser
import FxAServer
import Foundation
import Testing
@testable import fxa_server

/// The flags `fxa-server` accepts are exactly the flags of the settings
/// table, each landing on its own setting, so `--help`, the README and the
/// parser cannot disagree.
@Suite("Setting flags")
struct SettingFlagTests {
    @Test(arguments: ServerSetting.all.filter { $0.flag != nil })
    func everyFlagInTheTableIsAcceptedAndSetsItsOwnSetting(_ setting: ServerSetting) throws {
        for (arguments, expected) in Self.samples(of: setting.flag!) {
            let command = try ServeCommand.parse(arguments)
            let input = ConfigurationInput(storage: command.storage, serve: command.serve)
            #expect(input.flags == [setting: expected], "\(arguments)")
        }
    }

    @Test(arguments: ServerSetting.all.filter { $0.flag != nil })
    func storageFlagsWorkOnEveryCommandAndServeFlagsOnlyOnServe(_ setting: ServerSetting) throws {
        let (arguments, expected) = Self.samples(of: setting.flag!)[0]
        switch setting.scope {
        case .everyCommand:
            let command = try MigrateCommand.parse(arguments)
            #expect(ConfigurationInput(storage: command.storage).flags == [setting: expected])
        case .serve:
            #expect(throws: (any Error).self) { try MigrateCommand.parse(arguments) }
        }
    }

    @Test func serveOffersNoFlagThatIsNotInTheTable() {
        let help = ServeCommand.helpMessage(columns: 10_000)
        let offered = Set(help.matches(of: /--[a-z][a-z-]*/).map { String($0.output) }).subtracting(["--help"])
        let declared = Set(ServerSetting.all.compactMap(\.flag).flatMap(\.spellings))
        #expect(offered == declared)
    }

    @Test func theHelpOfAFlagIsItsSettingsHelp() {
        let help = ServeCommand.helpMessage(columns: 10_000)
        for setting in ServerSetting.all where setting.flag != nil {
            #expect(help.contains(setting.help), "\(setting)")
        }
    }

    /// Arguments that set `flag`, with the text each should give its setting.
    static func samples(of flag: ServerSetting.Flag) -> [([String], String)] {
        switch flag {
        case .option(let name): [(["--\(name)", "given-\(name)"], "given-\(name)")]
        case .enableDisable(let name): [(["--enable-\(name)"], "true"), (["--disable-\(name)"], "false")]
        case .onOff(let name): [(["--\(name)"], "true"), (["--no-\(name)"], "false")]
        }
    }
}
