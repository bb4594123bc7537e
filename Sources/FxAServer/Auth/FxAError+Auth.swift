import FxACore

/// Authentication failures, as fxa-auth-server reports them for both the
/// prefixed Bearer scheme and Hawk.
extension FxAError {
    /// Missing, unknown, expired or wrongly-prefixed token (errno 110).
    static func invalidToken(_ message: String = "Invalid authentication token in request signature") -> FxAError {
        FxAError(status: 401, errno: .auth(.invalidToken), message: message)
    }

    /// A Hawk MAC or payload hash that does not verify (errno 109).
    static func invalidSignature(_ message: String = "Invalid request signature") -> FxAError {
        FxAError(status: 401, errno: .auth(.invalidRequestSignature), message: message)
    }

    /// A Hawk timestamp outside the window (errno 111). `serverTime` lets
    /// the client correct its clock and retry, as PyFxA 0.8 does.
    static func invalidTimestamp(serverTime: Int64) -> FxAError {
        FxAError(
            status: 401, errno: .auth(.invalidTimestamp), message: "Invalid timestamp in request signature",
            extra: ["serverTime": .int(Int(serverTime))])
    }

    /// A Hawk nonce already seen for this token (errno 115).
    static func invalidNonce() -> FxAError {
        FxAError(status: 401, errno: .auth(.invalidNonce), message: "Invalid nonce in request signature")
    }

    /// The session has not confirmed its sign-in yet (errno 138).
    static func unverifiedSession() -> FxAError {
        FxAError(status: 400, errno: .auth(.sessionUnverified), message: "Unconfirmed session")
    }
}
