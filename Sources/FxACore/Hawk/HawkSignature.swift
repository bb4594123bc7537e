import Crypto
import Foundation

/// Hawk 1.0's MAC and payload hash, as hawkauthlib computes them for FxA
/// tokens (SHA-256, the token's derived Hawk key used as raw bytes).
public enum HawkSignature {
    /// `b64(SHA256("hawk.1.payload\n<content type without parameters>\n<body>\n"))`.
    public static func payloadHash(contentType: String, body: some DataProtocol) -> String {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var input = Data("hawk.1.payload\n\(mediaType)\n".utf8)
        input.append(contentsOf: body)
        input.append(Data("\n".utf8))
        return Data(SHA256.hash(data: input)).base64EncodedString()
    }

    /// The MAC over the normalised request string
    /// `hawk.1.header\n{ts}\n{nonce}\n{METHOD}\n{path?query}\n{host}\n{port}\n{hash}\n{ext}\n`.
    public static func mac(
        key: Data, timestamp: Int64, nonce: String, method: String, resource: String,
        host: String, port: Int, hash: String?, ext: String?
    ) -> String {
        let normalized = "hawk.1.header\n\(timestamp)\n\(nonce)\n\(method.uppercased())\n\(resource)\n"
            + "\(host.lowercased())\n\(port)\n\(hash ?? "")\n\(ext ?? "")\n"
        let code = HMAC<SHA256>.authenticationCode(for: Data(normalized.utf8), using: SymmetricKey(data: key))
        return Data(code).base64EncodedString()
    }
}
