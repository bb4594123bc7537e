import FxACore

/// The tokenserver's refusals (syncstorage-rs's `tokenserver-common`
/// errors), each with the status and body Firefox's `TokenServerClient`
/// reads. Firefox only distinguishes 401 (drop the OAuth token, try once
/// more, then "sign in again") from everything else (a network error), and
/// records `status` as the cause.
extension FxAError {
    /// 401 `invalid-credentials`: no usable Bearer token, one that is
    /// unknown, expired or without Sync's scope, or an unreadable `X-KeyID`.
    static func tokenserverInvalidCredentials() -> FxAError {
        tokenserver(401, errno: .invalidToken, TokenserverErrorBody(
            status: .invalidCredentials, location: .body, description: "Unauthorized"))
    }

    /// 401 `error`: no `Authorization` header, one that is not `<scheme>
    /// <credentials>` ("Unauthorized"), or of another scheme than Bearer
    /// ("Unsupported").
    static func tokenserverAuthorizationHeader(_ description: String) -> FxAError {
        tokenserver(401, errno: .invalidToken, TokenserverErrorBody(status: .error, location: .body, description: description))
    }

    /// 401 `invalid-key-id`: no `X-KeyID`, or one that is not printable ASCII.
    static func tokenserverInvalidKeyID(_ description: String) -> FxAError {
        tokenserver(401, errno: .invalidToken, TokenserverErrorBody(
            status: .invalidKeyID, location: .header, description: description))
    }

    /// 400: the legacy `X-Client-State` header is not a client state at all.
    static func tokenserverMalformedClientState() -> FxAError {
        tokenserver(400, errno: .invalidParameter, TokenserverErrorBody(
            status: .error, location: .header, name: "X-Client-State", description: "Invalid client state value"))
    }

    /// 401 `invalid-client-state`: `X-Client-State` disagrees with `X-KeyID`.
    static func tokenserverClientStateMismatch() -> FxAError {
        tokenserver(401, errno: .invalidToken, TokenserverErrorBody(
            status: .invalidClientState, location: .body, description: "Unauthorized"))
    }

    /// 404: an application or version other than `sync` `1.5`.
    static func tokenserverUnsupported(name: String, description: String) -> FxAError {
        tokenserver(404, errno: .unexpectedError, TokenserverErrorBody(
            status: .error, location: .url, name: name, description: description))
    }

    /// 401 for a request whose keys are older than ones the tokenserver has
    /// seen (``TokenserverRefusal``), worded as syncstorage-rs words it.
    static func tokenserverRefused(_ refusal: TokenserverRefusal) -> FxAError {
        let body = switch refusal {
        case .invalidClientState(let description):
            TokenserverErrorBody(status: refusal.status, location: .header, name: "X-Client-State", description: description)
        case .invalidGeneration, .invalidKeysChangedAt:
            TokenserverErrorBody(status: refusal.status, location: .body, description: "Unauthorized")
        }
        return tokenserver(401, errno: .invalidToken, body)
    }

    private static func tokenserver(_ status: Int, errno: AuthErrno, _ body: TokenserverErrorBody) -> FxAError {
        FxAError(status: status, errno: .auth(errno), message: body.description, sync: .tokenserver(body))
    }
}

extension TokenserverErrorBody {
    /// The body for an error thrown on a tokenserver route without one of
    /// its own (an outage, an unknown path under `/token`), chosen by
    /// status as syncstorage-rs chooses: 5xx are `internal-error` with
    /// nothing of the cause, 401 is `invalid-credentials`.
    static func derived(from error: FxAError) -> TokenserverErrorBody {
        switch error.status {
        case 500...:
            TokenserverErrorBody(status: .internalError, location: .internal, description: "Server error")
        case 401:
            TokenserverErrorBody(status: .invalidCredentials, location: .body, description: "Unauthorized")
        case 404:
            TokenserverErrorBody(status: .error, location: .url, description: "Not Found")
        default:
            TokenserverErrorBody(status: .error, location: .body, description: error.message)
        }
    }
}
