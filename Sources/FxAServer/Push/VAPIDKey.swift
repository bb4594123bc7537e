import Crypto
import FxACore
import Foundation

/// The server's Voluntary Application Server Identification (RFC 8292):
/// each push carries `Authorization: vapid t=<JWT>, k=<public key>`, an
/// ES256 JWT for the push service's origin, so the service can tell one
/// sender from another and rate-limit it.
///
/// The key is made when the server starts and lives in memory only.
/// Firefox subscribes its FxA push endpoint without an application server
/// key, so the push service accepts any sender's key. Nothing has to
/// outlive a restart, and instances need not share one.
struct VAPIDKey: Sendable {
    let privateKey: P256.Signing.PrivateKey
    /// Who to contact about this sender (`sub`): an https URL or a
    /// `mailto:` (RFC 8292 §2.1), ``subject(publicURL:mailFrom:)``.
    let subject: String

    /// The server's public URL when it is https, else its mail address.
    static func subject(publicURL: PublicBaseURL, mailFrom: String) -> String {
        publicURL.string.hasPrefix("https://") ? publicURL.string : "mailto:" + mailFrom
    }

    init(subject: String, privateKey: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) {
        self.subject = subject
        self.privateKey = privateKey
    }

    /// The header for a push to `endpoint`, valid for 12 hours.
    func authorization(for endpoint: URL, now: Date) throws -> String {
        guard let scheme = endpoint.scheme, let host = endpoint.host else { throw WebPushEncryption.Failure.invalidKey }
        let audience = "\(scheme)://\(host)" + (endpoint.port.map { ":\($0)" } ?? "")
        let header = Data(#"{"typ":"JWT","alg":"ES256"}"#.utf8).base64URLEncodedString
        let claims: [String: JSONValue] = [
            "aud": .string(audience), "exp": .int(Int(now.timeIntervalSince1970) + 12 * 3600), "sub": .string(subject),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = try encoder.encode(claims).base64URLEncodedString
        let input = header + "." + payload
        let signature = try privateKey.signature(for: Data(input.utf8)).rawRepresentation.base64URLEncodedString
        return "vapid t=\(input).\(signature), k=\(privateKey.publicKey.x963Representation.base64URLEncodedString)"
    }
}
