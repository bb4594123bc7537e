import FxAVapor
import Foundation

/// The example app's settings, from the environment: the FxA client (see
/// ``FxAClientConfiguration/fromEnvironment(_:redirectURI:)``), where it
/// listens, its public URL and its SQLite file.
public struct NotesSettings: Sendable {
    public var fxa: FxAClientConfiguration
    public var host: String
    public var port: Int
    public var publicURL: URL
    /// `nil`: an in-memory database (tests).
    public var databasePath: String?
    /// The longest one call to the provider may take (discovery, the code
    /// exchange, the profile). The end-to-end tests allow more: they share
    /// two cores with the rest of the suite.
    public var providerTimeout: Duration = .seconds(10)

    public init(fxa: FxAClientConfiguration, host: String = "127.0.0.1", port: Int, publicURL: URL, databasePath: String?) {
        self.fxa = fxa
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.databasePath = databasePath
    }

    /// `NOTES_PORT` (8080), `NOTES_PUBLIC_URL` (http://127.0.0.1:PORT),
    /// `NOTES_DATABASE` (notes.sqlite), and the `FXA_*` variables. The
    /// redirect URI is the public URL's `/auth/callback`, the webhook its
    /// `/auth/webhook`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NotesSettings {
        guard let port = Int(environment["NOTES_PORT"] ?? "8080"), (1...65535).contains(port) else {
            throw FxAClientError.invalidConfiguration("NOTES_PORT must be a port number")
        }
        guard let publicURL = URL(string: environment["NOTES_PUBLIC_URL"] ?? "http://127.0.0.1:\(port)"),
              ["http", "https"].contains(publicURL.scheme ?? "")
        else { throw FxAClientError.invalidConfiguration("NOTES_PUBLIC_URL must be an http(s) URL") }
        let fxa = try FxAClientConfiguration.fromEnvironment(
            environment, redirectURI: publicURL.appendingPathComponent("auth").appendingPathComponent("callback"))
        return NotesSettings(
            fxa: fxa, port: port, publicURL: publicURL, databasePath: environment["NOTES_DATABASE"] ?? "notes.sqlite")
    }
}
