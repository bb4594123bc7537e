import FxACore

/// OAuth errors: FxA's OAuth errno (`lib/oauth/error.js`) with the RFC 6749
/// error code in `error`, so FxA clients (which branch on `errno`) and
/// standard OAuth libraries (which read `error`) both understand them. The
/// text is also sent as `error_description`.
extension FxAError {
    static func oauth(_ status: Int, _ errno: OAuthErrno, _ code: String, _ message: String,
                      extra: [String: JSONValue] = [:]) -> FxAError {
        var fields = extra
        fields["error_description"] = .string(message)
        return FxAError(status: status, errno: .oauth(errno), error: code, message: message, extra: fields)
    }

    static func unknownClient(_ id: String) -> FxAError {
        .oauth(400, .unknownClient, "invalid_client", "Unknown client", extra: ["clientId": .string(id)])
    }

    static func incorrectClientSecret(_ id: String) -> FxAError {
        .oauth(401, .incorrectSecret, "invalid_client", "Incorrect secret", extra: ["clientId": .string(id)])
    }

    static func incorrectRedirectURI(_ uri: String) -> FxAError {
        .oauth(400, .incorrectRedirectURI, "invalid_request", "Incorrect redirect_uri", extra: ["redirectUri": .string(uri)])
    }

    static func unknownCode() -> FxAError {
        .oauth(400, .unknownCode, "invalid_grant", "Unknown code")
    }

    static func codeOfAnotherClient() -> FxAError {
        .oauth(400, .incorrectCode, "invalid_grant", "Incorrect code")
    }

    static func expiredCode() -> FxAError {
        .oauth(400, .expiredCode, "invalid_grant", "Expired code")
    }

    static func invalidOAuthToken() -> FxAError {
        .oauth(400, .invalidToken, "invalid_grant", "Invalid token")
    }

    static func invalidOAuthParameter(_ keys: [String]) -> FxAError {
        .oauth(400, .invalidRequestParameter, "invalid_request", "Invalid request parameter",
               extra: ["validation": .object(["keys": .array(keys.map(JSONValue.string))])])
    }

    static func invalidScopes(_ scopes: OAuthScopeSet) -> FxAError {
        .oauth(400, .invalidScopes, "invalid_scope", "Requested scopes are not allowed",
               extra: ["invalidScopes": .array(scopes.sortedValues.map(JSONValue.string))])
    }

    static func notPublicClient() -> FxAError {
        .oauth(400, .notPublicClient, "invalid_request", "Not a public client")
    }

    static func incorrectCodeChallenge() -> FxAError {
        .oauth(400, .incorrectCodeChallenge, "invalid_grant", "Incorrect code_challenge")
    }

    static func missingPKCEParameters() -> FxAError {
        .oauth(400, .missingPKCEParameters, "invalid_request", "Public clients require PKCE OAuth parameters")
    }

    static func invalidGrantType() -> FxAError {
        .oauth(400, .invalidGrantType, "unsupported_grant_type", "Invalid grant_type")
    }

    static func unknownOAuthToken() -> FxAError {
        .oauth(400, .unknownToken, "invalid_request", "Unknown token")
    }
}
