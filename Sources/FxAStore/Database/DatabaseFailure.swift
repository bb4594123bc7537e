import Foundation
import PostgresNIO
import SQLiteNIO

/// Says why the database could not be used, in a sentence an operator can
/// act on: which database (never its password), and the real reason. The
/// drivers' own descriptions hide it (PostgresNIO prints "Generic
/// description to prevent accidental leakage"; Foundation prints a
/// `NSCocoaErrorDomain` dump).
public enum DatabaseFailure {
    /// The explanation of `error` for `location`, or `nil` when it is not a
    /// failure to open or reach the database.
    public static func explain(_ error: any Error, location: DatabaseLocation) -> String? {
        switch location {
        case .postgres(let url, _):
            guard let error = error as? PSQLError else { return nil }
            return postgres(error, at: endpoint(of: url))
        case .sqliteFile(let path):
            let file = URL(fileURLWithPath: path).standardizedFileURL.path
            if let error = error as? CocoaError {
                let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
                return "cannot make the data folder \(folder): \(diagnose(folder: folder) ?? reason(of: error))"
            }
            if let error = error as? SQLiteError {
                return "cannot open the SQLite database \(file): \(error.message) (check the folder's owner and permissions)"
            }
            return nil
        case .sqliteInMemory:
            return nil
        }
    }

    private static func postgres(_ error: PSQLError, at endpoint: String) -> String? {
        if let message = error.serverInfo?[.message] {
            // Only the server's refusals to let us in: a connection, the
            // login, the database's name, or no room. A statement's error
            // (a unique violation) is not a start-up failure.
            let state = error.serverInfo?[.sqlState] ?? ""
            guard ["08", "28", "3D", "53"].contains(where: state.hasPrefix) || state == "57P03" else { return nil }
            return "PostgreSQL at \(endpoint) refused: \(message) (SQLSTATE \(state))"
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .sslUnsupported, .failedToAddSSLHandler, .uncleanShutdown:
            let cause = error.underlying.map { String(describing: $0) } ?? error.code.description
            return "cannot reach PostgreSQL at \(endpoint): \(cause)"
        default:
            return nil
        }
    }

    /// `host:port` of a PostgreSQL URL, or its socket path.
    static func endpoint(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return "(unparseable URL)" }
        if components.scheme?.hasSuffix("+uds") == true { return "socket " + components.path }
        return "\(components.host ?? "localhost"):\(components.port ?? 5432)"
    }

    /// What stands in the way of making `folder`, found on disk: the
    /// nearest part of the path that exists is a file, or not writable.
    static func diagnose(folder: String) -> String? {
        var candidate = URL(fileURLWithPath: folder)
        while candidate.path != "/" {
            candidate.deleteLastPathComponent()
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue { return "\(candidate.path) is a file, not a folder" }
            if !FileManager.default.isWritableFile(atPath: candidate.path) {
                return "\(candidate.path) is not writable by this user (uid \(getuid()))"
            }
            return nil
        }
        return nil
    }

    private static func reason(of error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let text = strerror(Int32(underlying.code)) {
            return String(cString: text)
        }
        switch error.code {
        case .fileWriteNoPermission: return "permission denied"
        case .fileWriteFileExists: return "a file is in the way"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        default: return error.localizedDescription
        }
    }
}
