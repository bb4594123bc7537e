import FxACore
import Foundation

/// A JWS in compact form split into its parts, with the header read. The
/// claims are not trusted until ``JWKSVerifier`` has checked the signature.
struct CompactJWS {
    struct Header: Decodable {
        var alg: String
        var kid: String?
        var typ: String?
    }

    let header: Header
    let signingInput: Data
    let payload: Data
    let signature: Data

    init(_ token: String) throws(TokenRejection) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.count <= 16_384,
              let headerData = Data(base64URLEncoded: parts[0]),
              let payload = Data(base64URLEncoded: parts[1]),
              let signature = Data(base64URLEncoded: parts[2]),
              let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else { throw .malformed }
        self.header = header
        self.payload = payload
        self.signature = signature
        signingInput = Data("\(parts[0]).\(parts[1])".utf8)
    }

    func claims<Claims: Decodable>(as type: Claims.Type) throws(TokenRejection) -> Claims {
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw .malformed }
        return claims
    }
}
