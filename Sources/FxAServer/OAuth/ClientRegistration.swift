import FxACore
import Foundation

/// The rules a client registration must follow, checked before anything is
/// stored, so a typo cannot become an open redirect or a leaky webhook.
enum ClientRegistration {
    /// A redirect URI is absolute, has no fragment (RFC 6749 §3.1.2), and
    /// is `https`, `http` on a loopback host (RFC 8252 §7.3, the guide's
    /// local RPs), or for public clients a private-use scheme in
    /// reverse-domain form (RFC 8252 §7.1, `com.example.app:/callback`).
    static func checkRedirectURI(_ text: String, publicClient: Bool) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased() else {
            throw invalid("redirect URI \(text) is not an absolute URI")
        }
        guard url.fragment == nil else { throw invalid("redirect URI \(text) must not have a fragment") }
        switch scheme {
        case "https":
            guard let host = url.host, !host.isEmpty else { throw invalid("redirect URI \(text) has no host") }
        case "http":
            guard isLoopback(url.host) else {
                throw invalid("redirect URI \(text): plain http is allowed only on 127.0.0.1, [::1] or localhost")
            }
        default:
            guard publicClient, scheme.contains(".") else {
                throw invalid("redirect URI \(text): use https (or a reverse-domain scheme such as com.example.app: for a public native client)")
            }
        }
    }

    /// Image and webhook URLs are fetched or called by browsers and the
    /// server: https, or http on loopback for local development.
    static func checkWebURL(_ text: String, field: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty, url.fragment == nil
        else { throw invalid("\(field) \(text) is not an absolute http(s) URL") }
        guard scheme == "https" || (scheme == "http" && isLoopback(host)) else {
            throw invalid("\(field) \(text) must use https (plain http only on loopback)")
        }
    }

    /// A scope is one non-empty token without spaces (RFC 6749 §3.3).
    static func checkScope(_ scope: String) throws {
        let allowed = scope.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f && $0 != "\"" && $0 != "\\" }
        guard !scope.isEmpty, allowed else { throw invalid("scope \"\(scope)\" is not a valid scope token") }
    }

    static func checkName(_ name: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 256 else { throw invalid("the client name must have 1 to 256 characters") }
    }

    private static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    private static func invalid(_ message: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidParameter), message: message)
    }
}
