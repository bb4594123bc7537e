/// Constructors for the errors every API route can produce, mirroring
/// `AppError.*` in fxa-auth-server's `lib/error.js`. Area-specific errors
/// (accounts, OAuth, profile) live beside the code that throws them.
extension FxAError {
    /// A path that no route serves. FxA's hapi server answers 404 with the
    /// generic errno 999, which clients treat as "not an FxA endpoint".
    public static func unknownEndpoint() -> FxAError {
        FxAError(status: 404, errno: .auth(.unexpectedError), message: "Not Found")
    }

    /// A route that exists but not for this HTTP method.
    public static func methodNotAllowed() -> FxAError {
        FxAError(status: 405, errno: .auth(.unexpectedError), message: "Method Not Allowed")
    }

    /// The body could not be parsed as JSON (or as the declared form encoding).
    public static func invalidJSON() -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidJSON), message: "Invalid JSON in request body")
    }

    /// A parameter was present but failed validation. `keys` names the
    /// offending fields, as Joi's `validation.keys` does in FxA.
    public static func invalidParameter(_ keys: [String], source: String = "payload") -> FxAError {
        FxAError(
            status: 400, errno: .auth(.invalidParameter), message: "Invalid parameter in request body",
            extra: ["validation": .object(["source": .string(source), "keys": .array(keys.map(JSONValue.string))])]
        )
    }

    /// A required parameter was absent.
    public static func missingParameter(_ name: String) -> FxAError {
        FxAError(
            status: 400, errno: .auth(.missingParameter), message: "Missing parameter in request body: \(name)",
            extra: ["param": .string(name)]
        )
    }

    /// The request body exceeded the server's limit.
    public static func requestTooLarge() -> FxAError {
        FxAError(status: 413, errno: .auth(.requestTooLarge), message: "Request body too large")
    }

    /// The body's media type is not one the route accepts.
    public static func unsupportedMediaType() -> FxAError {
        FxAError(status: 415, errno: .auth(.unexpectedError), message: "Unsupported Media Type")
    }

    /// Rate limited; `retryAfter` seconds until the client may try again.
    public static func throttled(retryAfter: Int) -> FxAError {
        FxAError(
            status: 429, errno: .auth(.throttled), message: "Client has sent too many requests",
            retryAfter: max(1, retryAfter)
        )
    }

    /// The server is overloaded or shutting down.
    public static func serviceUnavailable(retryAfter: Int = 30) -> FxAError {
        FxAError(status: 503, errno: .auth(.serverBusy), message: "Service unavailable", retryAfter: retryAfter)
    }

    /// A backend the request needs (the database) is not answering.
    public static func backendServiceFailure() -> FxAError {
        FxAError(status: 503, errno: .auth(.backendServiceFailure), message: "A backend service request failed.")
    }

    /// Anything not foreseen. The cause is logged server-side with the request
    /// id; the client only learns that something went wrong.
    public static func unexpected() -> FxAError {
        FxAError(status: 500, errno: .auth(.unexpectedError), message: "Unspecified error")
    }
}
