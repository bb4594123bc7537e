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

    /// The SMTP relay did not take the message.
    static func failedToSendEmail() -> FxAError {
        FxAError(status: 500, errno: .auth(.failedToSendEmail), message: "Failed to send email")
    }

    /// A wrong, expired or burnt one-time code (forgot-password OTP).
    static func invalidOTPCode() -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidExpiredOTPCode), message: "Invalid or expired OTP code")
    }

    /// Sign-up is closed, or this address is not on the allow-list. FxA has
    /// no such policy; errno 202 ("feature not enabled") is the closest
    /// meaning clients already handle, with 403 because retrying won't help.
    static func signupNotAllowed() -> FxAError {
        FxAError(status: 403, errno: .auth(.featureNotEnabled), message: "Sign-up is not open to this email address on this server")
    }
}
