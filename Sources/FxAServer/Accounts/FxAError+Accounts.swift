import FxACore

/// Account errors, mirroring fxa-auth-server's `AppError` constructors.
extension FxAError {
    static func accountExists(_ email: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.accountExists), message: "Account already exists", extra: ["email": .string(email)])
    }

    static func unknownAccount() -> FxAError {
        FxAError(status: 400, errno: .auth(.accountUnknown), message: "Unknown account")
    }

    static func incorrectPassword() -> FxAError {
        FxAError(status: 400, errno: .auth(.incorrectPassword), message: "Incorrect password")
    }

    /// The password was stretched with the email in another case than the
    /// account's: the client should retry hashing with `email`.
    static func incorrectEmailCase(_ email: String) -> FxAError {
        FxAError(status: 400, errno: .auth(.incorrectEmailCase), message: "Incorrect email case", extra: ["email": .string(email)])
    }

    static func unverifiedAccount() -> FxAError {
        FxAError(status: 400, errno: .auth(.accountUnverified), message: "Unverified account")
    }

    static func invalidVerificationCode() -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidVerificationCode), message: "Invalid verification code")
    }
}
