import FxACore

/// Errors of the web-session API.
extension FxAError {
    /// `POST /v1/web/session` from a page of another origin: only our own
    /// pages may turn a session into a cookie (no FxA errno fits; 999 with
    /// 403, as FxA answers requests it forbids without a specific errno).
    static func crossOriginRefused() -> FxAError {
        FxAError(status: 403, errno: .auth(.unexpectedError), message: "Cross-origin request refused")
    }
}
