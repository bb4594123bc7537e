import FxACore

extension FxAError {
    /// The operator's configuration cannot work. Raised at startup only, so
    /// the process refuses to serve rather than serving wrongly.
    public static func invalidConfiguration(_ message: String) -> FxAError {
        FxAError(status: 500, errno: .auth(.serverConfigError), error: "Server Startup", message: message)
    }
}
