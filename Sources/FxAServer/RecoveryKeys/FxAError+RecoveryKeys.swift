import FxACore

/// Account recovery key failures, with FxA's errnos and messages.
extension FxAError {
    /// The account has no (enabled) recovery key (errno 158).
    static func recoveryKeyNotFound() -> FxAError {
        FxAError(status: 400, errno: .auth(.recoveryKeyNotFound), message: "Recovery key not found.")
    }

    /// The key presented is not the account's (errno 159).
    static func recoveryKeyInvalid() -> FxAError {
        FxAError(status: 400, errno: .auth(.recoveryKeyInvalid), message: "Recovery key is not valid.")
    }

    /// The account has a recovery key already and the request did not ask
    /// to replace it (errno 161).
    static func recoveryKeyExists() -> FxAError {
        FxAError(status: 400, errno: .auth(.recoveryKeyExists), message: "Recovery key already exists.")
    }
}
