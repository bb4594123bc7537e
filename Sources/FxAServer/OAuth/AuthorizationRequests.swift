import FxACore
import Vapor

/// `POST /v1/oauth/authorization` (and `/v1/authorization` with a session):
/// what PyFxA's `authorize_code` and FxA's own pages send.
struct SessionAuthorizationRequest: Content {
    var client_id: String?
    var state: String?
    var scope: String?
    var response_type: String?
    var redirect_uri: String?
    var access_type: String?
    var code_challenge_method: String?
    var code_challenge: String?
    var keys_jwe: String?
    var acr_values: String?
    var prompt: String?
    var nonce: String?
    var service: String?
}

/// The code response: FxA's `{redirect, code, state, scope}`.
struct AuthorizationCodeResponse: Content {
    var redirect: String
    var code: String
    var state: String
    var scope: String
}

/// Checks on the authorization parameters shared by every way of asking
/// for a code.
enum AuthorizationParameters {
    /// Whether `acr_values` asks for two-step authentication: FxA reads the
    /// space-separated list for `AAL2` and ignores every other value.
    static func requiresTwoStep(_ acrValues: String?) -> Bool {
        acrValues?.split(separator: " ").contains("AAL2") ?? false
    }

    /// `S256` only; a 43-character base64url challenge (a SHA-256).
    static func pkceChallenge(method: String?, challenge: String?) throws -> String? {
        switch (method, challenge) {
        case (nil, nil): return nil
        case ("S256", let challenge?):
            guard challenge.count == 43, challenge.allSatisfy(isBase64URL) else {
                throw FxAError.invalidOAuthParameter(["code_challenge"])
            }
            return challenge
        case (_?, nil): throw FxAError.invalidOAuthParameter(["code_challenge"])
        case (_, _?): throw FxAError.invalidOAuthParameter(["code_challenge_method"])
        }
    }

    /// The longest `keys_jwe` accepted. FxA allows 1024 characters, which
    /// holds about two keys (Sync's 64-byte key alone makes some 500);
    /// swift-fxa lets the operator name more key-bearing scopes, and a
    /// request for three of them must not fail on length.
    static let maximumKeysJWELength = 8192

    /// A compact JWE: five base64url segments, the second (the encrypted
    /// key, empty for ECDH-ES) possibly empty.
    static func keysJWE(_ value: String?) throws -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard value.count <= maximumKeysJWELength, parts.count == 5,
              parts.enumerated().allSatisfy({ index, part in (index == 1 || !part.isEmpty) && part.allSatisfy(isBase64URL) })
        else { throw FxAError.invalidOAuthParameter(["keys_jwe"]) }
        return value
    }

    /// `online` (default) or `offline`.
    static func offline(_ accessType: String?) throws -> Bool {
        switch accessType {
        case nil, "online": return false
        case "offline": return true
        default: throw FxAError.invalidOAuthParameter(["access_type"])
        }
    }

    static func isBase64URL(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }
}
