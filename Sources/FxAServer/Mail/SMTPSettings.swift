import FxACore
import Foundation

/// Where production mail goes: an SMTP relay, given as one URL so it fits
/// in one environment variable, e.g.
/// `smtp://user:password@mail.example.org:587` (STARTTLS, required unless
/// `?starttls=off`), `smtps://…:465` (TLS from the first byte).
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// TLS from the first byte (port 465).
        case implicitTLS = "tls"
        /// Plain connection upgraded with STARTTLS before authenticating;
        /// the server must offer it.
        case startTLS = "starttls"
        /// No TLS at all: only for a relay on the same host or a test sink.
        case none = "none"
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The `From` address of every message.
    public var from: String

    public init(host: String, port: Int, security: Security, username: String?, password: String?, from: String) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
    }

    /// Parses `smtp[s]://[user[:password]@]host[:port][?starttls=off]`.
    ///
    /// - Throws: ``StartupError`` naming the setting at fault.
    public init(url text: String, from: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty
        else { throw StartupError(.smtpURL, "must look like smtp://user:password@host:587") }
        let startTLSOff = url.queryItems?.contains { $0.name == "starttls" && ["off", "false", "0"].contains($0.value ?? "") } ?? false
        switch scheme {
        case "smtps":
            security = .implicitTLS
            port = url.port ?? 465
        case "smtp":
            security = startTLSOff ? .none : .startTLS
            port = url.port ?? 587
        default:
            throw StartupError(.smtpURL, "scheme must be smtp or smtps, got \(scheme)")
        }
        guard EmailAddress(from) != nil else {
            throw StartupError(.mailFrom, "\(from) is not an email address")
        }
        self.host = host
        username = url.user?.removingPercentEncoding
        password = url.password?.removingPercentEncoding
        self.from = from
    }

    /// For the startup log: host, port and security, never the credentials.
    public var redactedDescription: String {
        "smtp \(host):\(port) \(security.rawValue)" + (username == nil ? "" : " (authenticated)")
    }
}
