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

    /// A client whose redirect is Firefox's WebChannel `urn:` asked for the
    /// ordinary sign-in page, which would send the browser to that URN.
    static func webChannelSignInOnly() -> FxAError {
        .oauth(400, .incorrectRedirectURI, "invalid_request",
               "This app signs in through Firefox's WebChannel sign-in page, not this one")
    }

    /// Firefox's WebChannel sign-in was asked for by a client that is not
    /// Firefox (its redirect is not the WebChannel `urn:`).
    static func notWebChannelClient() -> FxAError {
        .oauth(400, .incorrectRedirectURI, "invalid_request",
               "Only Firefox signs in through this page (context=oauth_webchannel_v1)")
    }

    /// Firefox opened its sign-in with a WebChannel context other than
    /// `oauth_webchannel_v1` (the key-fetching `fx_desktop_v3` of Firefox
    /// before 140), which this server does not implement.
    static func unsupportedWebChannelContext() -> FxAError {
        .oauth(400, .invalidRequestParameter, "invalid_request",
               "This server signs in Firefox 140 and later (context=oauth_webchannel_v1); update Firefox to sign in")
    }

    /// An invalid parameter of a request that has no redirect to report it
    /// to (Firefox's WebChannel sign-in): the OAuth error and its reason.
    static func refusedAuthorization(_ code: String, _ description: String) -> FxAError {
        .oauth(400, .invalidRequestParameter, code, description)
    }

    /// The operator turned the client off (FxA: 400, errno 202).
    static func disabledClient(_ id: String) -> FxAError {
        .oauth(400, .disabledClient, "invalid_client", "This client has been disabled", extra: ["clientId": .string(id)])
    }

    /// 401 with a Basic challenge: RFC 6749 §5.2 requires one when the
    /// client tried HTTP Basic, and RFC 7235 every 401; a client that sent
    /// its secret in the body is told the same way to authenticate.
    static func incorrectClientSecret(_ id: String) -> FxAError {
        FxAError.oauth(401, .incorrectSecret, "invalid_client", "Incorrect secret", extra: ["clientId": .string(id)])
            .challengingHTTPBasic()
    }

    /// The challenge for HTTP Basic client authentication.
    static let basicChallenge = #"Basic realm="OAuth clients", charset="UTF-8""#

    /// This error as answered to a client that tried HTTP Basic: 401 with
    /// the Basic challenge (RFC 6749 §5.2), its errno and text unchanged.
    func challengingHTTPBasic() -> FxAError {
        var error = self
        error.status = 401
        error.challenge = Self.basicChallenge
        return error
    }

    /// The token request named a `redirect_uri` other than the one the code
    /// was issued for: FxA's errno 103, as RFC 6749 §5.2's `invalid_grant`
    /// (the code is bound to the URI, so it is the grant that fails).
    static func redirectURIMismatch(_ uri: String) -> FxAError {
        .oauth(400, .incorrectRedirectURI, "invalid_grant", "Incorrect redirect_uri", extra: ["redirectUri": .string(uri)])
    }

    static func incorrectRedirectURI(_ uri: String) -> FxAError {
        .oauth(400, .incorrectRedirectURI, "invalid_request", "Incorrect redirect_uri", extra: ["redirectUri": .string(uri)])
    }

    /// No `redirect_uri`, and the client registered several.
    static func ambiguousRedirectURI() -> FxAError {
        .oauth(400, .invalidRequestParameter, "invalid_request",
               "redirect_uri is required: this client has registered more than one",
               extra: ["validation": .object(["keys": .array([.string("redirect_uri")])])])
    }

    /// A parameter that must appear once appeared more than once. A name
    /// is repeated back only if it looks like a parameter name: the text
    /// goes into `error_description`, which RFC 6749 keeps to printable
    /// ASCII without `"` and `\`.
    static func duplicatedOAuthParameter(_ name: String) -> FxAError {
        let shown = name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
            ? name : "A parameter"
        return .oauth(400, .invalidRequestParameter, "invalid_request", "\(shown) must be sent once",
                      extra: ["validation": .object(["keys": .array([.string(shown)])])])
    }

    /// The request asks for a stronger authentication (`acr_values=AAL2`)
    /// than the session gave; `foundValue` is the session's level, as FxA
    /// reports it.
    static func mismatchedACR(found level: Int) -> FxAError {
        .oauth(400, .mismatchACR, "invalid_request", "Mismatch acr value", extra: ["foundValue": .int(level)])
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

    /// errno 114, listing each refused scope once, sorted.
    static func invalidScopes(_ scopes: [OAuthScope]) -> FxAError {
        .oauth(400, .invalidScopes, "invalid_scope", "Requested scopes are not allowed",
               extra: ["invalidScopes": .array(scopes.distinctSortedValues.map(JSONValue.string))])
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

    /// A body that is neither JSON nor a form (FxA's `invalidContentType`).
    static func invalidContentType() -> FxAError {
        .oauth(415, .invalidContentType, "invalid_request",
               "Content-Type must be either application/json or application/x-www-form-urlencoded")
    }

    static func unknownOAuthToken() -> FxAError {
        .oauth(400, .unknownToken, "invalid_request", "Unknown token")
    }
}
