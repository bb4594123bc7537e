import FxACore
import Foundation
import JWTKit

extension SigningKeyRing {
    /// The published keys' public halves, for checking a JWT this server
    /// signed (a JWT access token, an MFA token) with any key still in the
    /// JWKS.
    func verificationKeys() async throws -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        for key in try await published() {
            await keys.add(rsa: key.privateKey.publicKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        }
        return keys
    }

    /// The `typ` of a compact JWT's header, lowercased; `nil` when the
    /// header cannot be read. Checked before the signature so that one kind
    /// of token this server signs is never taken for another.
    static func headerType(of jwt: String) -> String? {
        guard let headerPart = jwt.split(separator: ".", omittingEmptySubsequences: false).first,
              let headerData = Data(base64URLEncoded: headerPart),
              let header = try? JSONDecoder().decode(JWTHeader.self, from: headerData)
        else { return nil }
        return header.typ?.lowercased()
    }
}
