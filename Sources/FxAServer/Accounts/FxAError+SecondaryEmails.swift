import FxACore
import FxAStore

/// Secondary-email errors, as fxa-auth-server's `AppError` names them.
extension FxAError {
    /// Another account has this address verified (as a secondary one).
    static func emailExists() -> FxAError {
        FxAError(status: 400, errno: .auth(.emailExists), message: "Email already exists")
    }

    static func cannotDeletePrimaryEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.emailDeletePrimary), message: "Can not delete primary email")
    }

    static func secondaryEmailIsOwnPrimary() -> FxAError {
        FxAError(status: 400, errno: .auth(.userPrimaryEmailExists), message: "Can not add secondary email that is same as your primary")
    }

    static func verifiedPrimaryEmailExists() -> FxAError {
        FxAError(status: 400, errno: .auth(.verifiedPrimaryEmailExists), message: "Email already exists")
    }

    /// Sign-in named an address that is not the account's primary one.
    static func loginWithSecondaryEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.loginWithSecondaryEmail), message: "Sign in with this email type is not currently supported")
    }

    static func unknownSecondaryEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.secondaryEmailUnknown), message: "Unknown email")
    }

    /// Sign-up with an address another account has verified as secondary.
    static func verifiedSecondaryEmailExists() -> FxAError {
        FxAError(status: 400, errno: .auth(.verifiedSecondaryEmailExists), message: "Email already exists")
    }

    static func changeEmailToUnverifiedEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.changeEmailToUnverifiedEmail), message: "Can not change primary email to an unverified email")
    }

    static func changeEmailToUnownedEmail() -> FxAError {
        FxAError(
            status: 400, errno: .auth(.changeEmailToUnownedEmail),
            message: "Can not change primary email to an email that does not belong to this account")
    }

    static func resendCodeToUnownedEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.resendEmailCodeToUnownedEmail), message: "Can not resend email code to an email that does not belong to this account")
    }

    static func maxSecondaryEmailsReached() -> FxAError {
        FxAError(status: 400, errno: .auth(.maxSecondaryEmailsReached), message: "You have reached the maximum allowed secondary emails")
    }

    static func alreadyOwnsEmail() -> FxAError {
        FxAError(status: 400, errno: .auth(.alreadyOwnsEmail), message: "This email is already associated with your account")
    }
}
