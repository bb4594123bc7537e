import FxACore

/// Two-step authentication failures, with FxA's errnos and messages.
extension FxAError {
    /// The account already signs in with an authenticator app (errno 154).
    static func totpAlreadyEnabled() -> FxAError {
        FxAError(status: 400, errno: .auth(.totpTokenExists), message: "TOTP token already exists for this account.")
    }

    /// No authenticator-app secret (or no pending setup) to act on (errno 155).
    static func totpNotFound() -> FxAError {
        FxAError(status: 400, errno: .auth(.totpTokenNotFound), message: "TOTP token not found.")
    }

    /// A backup code the account does not have: wrong, spent, or of an
    /// earlier set (errno 156).
    static func backupCodeNotFound() -> FxAError {
        FxAError(status: 400, errno: .auth(.recoveryCodeNotFound), message: "Backup authentication code not found.")
    }

    /// A code from the app that does not match during setup (errno 152).
    static func invalidTOTPCode() -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidTokenVerificationCode), message: "Invalid token confirmation code")
    }

    /// The emailed step-up code is wrong or expired (errno 183).
    static func invalidMFACode() -> FxAError {
        FxAError(status: 400, errno: .auth(.invalidExpiredOTPCode), message: "Invalid or expired confirmation code")
    }

    /// The MFA token is missing, forged, expired, for another action or for
    /// a session that has ended (errno 223).
    static func invalidMFAToken() -> FxAError {
        FxAError(status: 401, errno: .auth(.invalidMFAToken), message: "Invalid or expired MFA token")
    }

    /// The session has not given the second factor the account requires
    /// (errno 222).
    static func insufficientAAL() -> FxAError {
        FxAError(status: 400, errno: .auth(.insufficientAAL), message: "Insufficient AAL")
    }
}
