import FxACore
import Foundation

/// What `/__version__` reports, in Mozilla's Dockerflow shape.
public struct VersionInfo: Sendable, Equatable, Codable {
    public var source: String
    public var version: String
    public var commit: String
    public var build: String

    public init(
        source: String = "swift-fxa", version: String, commit: String, build: String = ""
    ) {
        self.source = source
        self.version = version
        self.commit = commit
        self.build = build
    }

    /// Finds the running build's identity without spawning processes:
    /// `FXA_COMMIT` if set, else a Dockerflow `version.json` in the working
    /// folder, else the one installed beside the binary (the Debian package
    /// puts it in `/usr/share/fxa-server/`, since a service's working folder
    /// is its data folder), else the commit `.git/HEAD` points at, else
    /// "unknown".
    public static func detect(
        environment: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath,
        installedFile: URL? = installedVersionFile()
    ) -> VersionInfo {
        let folder = URL(fileURLWithPath: workingDirectory)
        for candidate in [folder.appendingPathComponent("version.json"), installedFile].compactMap({ $0 }) {
            guard let data = try? Data(contentsOf: candidate),
                  var info = try? JSONDecoder().decode(VersionInfo.self, from: data)
            else { continue }
            if let commit = environment["FXA_COMMIT"], !commit.isEmpty { info.commit = commit }
            return info
        }
        let commit = environment["FXA_COMMIT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? gitCommit(in: folder.appendingPathComponent(".git"))
            ?? "unknown"
        return VersionInfo(version: FxAVersion.current, commit: commit)
    }

    /// `../share/fxa-server/version.json` from the running executable's
    /// folder: `/usr/share/fxa-server/version.json` for `/usr/bin/fxa-server`.
    public static func installedVersionFile() -> URL? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        return executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/fxa-server/version.json")
    }

    /// Reads the commit id from a git folder: a detached HEAD holds it,
    /// otherwise HEAD names a ref found loose or in `packed-refs`.
    static func gitCommit(in gitFolder: URL) -> String? {
        guard let head = try? String(contentsOf: gitFolder.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        else { return nil }
        guard head.hasPrefix("ref: ") else { return isCommitID(head) ? head : nil }
        let ref = String(head.dropFirst(5))
        if let loose = try? String(contentsOf: gitFolder.appendingPathComponent(ref), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), isCommitID(loose) {
            return loose
        }
        guard let packed = try? String(contentsOf: gitFolder.appendingPathComponent("packed-refs"), encoding: .utf8)
        else { return nil }
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
            let id = String(line.prefix(while: { $0 != " " }))
            if isCommitID(id) { return id }
        }
        return nil
    }

    private static func isCommitID(_ text: String) -> Bool {
        text.count == 40 && Data(hex: text) != nil
    }
}
