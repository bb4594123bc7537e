import FxACore
import FxAStore
import Foundation

/// Turns an access token as a client presents it into the hash its row is
/// stored under: an opaque token is 64 lowercase hex; a JWT access token is
/// checked first (signature, `typ`, expiry) and then stands for the opaque
/// token inside (its `jti`), so destroying it ends the JWT at once too.
/// The one place that reads a presented access token, for `/v1/verify`,
/// introspection, destroy, revocation, the profile API and userinfo.
struct AccessTokenLookup: Sendable {
    let accessJWT: AccessTokenJWT

    /// The hash to look the token up by; `nil` when `text` is neither
    /// shape. A JWT that fails its checks throws ``AccessTokenJWT``'s
    /// error (invalid, or expired).
    func hash(of text: String) async throws -> TokenHash? {
        if AccessTokenJWT.looksLikeJWT(text) {
            return TokenHash(of: try await accessJWT.opaqueToken(in: text))
        }
        return Hex32(lowercaseHex: text).map { TokenHash(of: $0) }
    }
}
