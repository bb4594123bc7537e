import FxACore
import FxAStore
import Foundation

/// The messages the account flows send, with FxA's code headers: every
/// message carries the account in `X-Uid`, the code both in its text and in
/// the header FxA's test tooling reads, and FxA's template name.
enum AccountMails {
    /// Sign-up verification: the 32-hex code in `X-Verify-Code`, or the
    /// 6-digit one in `X-Verify-Short-Code` (FxA's `verifyShortCode`).
    static func verifyEmail(
        to email: String, uid: AccountUID, code: String, kind: SignupCodeKind = .link, at date: Date
    ) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Confirm your account", codeHeader: kind.mailHeader, code: code,
                 template: kind == .shortCode ? "verifyShortCode" : "verify",
                 text: "Confirm your account with this code: \(code)\n\nIf you did not create an account, ignore this email.")
    }

    /// A secondary address being added: the 6-digit code in `X-Verify-Code`,
    /// sent to that address.
    static func verifySecondaryEmail(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Confirm your secondary email", codeHeader: "X-Verify-Code",
                 code: code, template: "verifySecondaryCode",
                 text: "Confirm this address for your account with the code \(code).\n\nIf you did not ask for it, ignore this email.")
    }

    /// Forgot password: the 8-digit one-time code in `X-Password-Forgot-Otp`.
    static func passwordForgotOTP(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Reset your password", codeHeader: "X-Password-Forgot-Otp",
                 code: code, template: "passwordForgotOtp",
                 text: "Use this code to reset your password: \(code)\n\nIt expires in 10 minutes. If you did not ask for it, ignore this email.")
    }

    /// Sign-in confirmation: the 6-digit code in `X-Signin-Verify-Code`.
    static func signinCode(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Confirm your sign-in", codeHeader: "X-Signin-Verify-Code",
                 code: code, template: "verifyLoginCode",
                 text: "Confirm this sign-in with the code \(code).\n\nIf it was not you, change your password now.")
    }

    /// Legacy forgot password: the code in `X-Recovery-Code`.
    static func recoveryCode(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Reset your password", codeHeader: "X-Recovery-Code",
                 code: code, template: "recoveryEmail",
                 text: "Use this code to reset your password: \(code)\n\nIf you did not ask for it, ignore this email.")
    }

    /// The step-up code that authorizes an account change (two-step
    /// authentication, a recovery key): the 6-digit code in
    /// `X-Account-Change-Verify-Code`.
    static func accountChangeCode(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        codeMail(to: email, uid: uid, at: date, subject: "Confirm a change to your account",
                 codeHeader: "X-Account-Change-Verify-Code", code: code, template: "verifyAccountChange",
                 text: "Use this code to confirm a change to your account's security: \(code)\n\n"
                     + "It expires in 5 minutes. If you did not ask for it, change your password now.")
    }

    /// Two-step authentication was turned on.
    static func twoStepEnabled(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Two-step authentication is on", template: "postAddTwoStepAuthentication",
                   text: "Two-step authentication is now on for your account: signing in asks for a code from your "
                       + "authenticator app.\n\nIf you did not turn it on, change your password now.")
    }

    /// Two-step authentication was turned off.
    static func twoStepDisabled(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Two-step authentication is off", template: "postRemoveTwoStepAuthentication",
                   text: "Two-step authentication is now off for your account: signing in asks for your password only."
                       + "\n\nIf you did not turn it off, change your password and turn it on again.")
    }

    /// Wrong authenticator-app codes in a row locked the code checks: whoever
    /// typed them had the password or the reset email.
    static func twoStepLocked(to email: String, uid: AccountUID, failures: Int, minutes: Int, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Two-step authentication codes are locked", template: "twoStepLocked",
                   text: "\(failures) wrong codes from your authenticator app were entered for your account, so no code "
                       + "is accepted for the next \(minutes) minutes. Your backup authentication codes still work."
                       + "\n\nIf it was not you, someone has your password or can read your email: change your password now.")
    }

    /// A new set of backup authentication codes was made.
    static func newBackupCodes(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "New backup authentication codes", template: "postNewRecoveryCodes",
                   text: "New backup authentication codes were made for your account; the old ones no longer work."
                       + "\n\nIf you did not do this, change your password now.")
    }

    /// A backup authentication code was used to sign in.
    static func backupCodeUsed(to email: String, uid: AccountUID, remaining: Int, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "A backup authentication code was used", template: "postSigninRecoveryCode",
                   text: "Someone signed in to your account with a backup authentication code. \(remaining) "
                       + "\(remaining == 1 ? "code is" : "codes are") left.\n\nIf it was not you, change your password now.")
    }

    /// Few backup authentication codes are left.
    static func backupCodesLow(to email: String, uid: AccountUID, remaining: Int, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Few backup authentication codes left", template: "lowRecoveryCodes",
                   text: "Only \(remaining) backup authentication \(remaining == 1 ? "code is" : "codes are") left. "
                       + "Make a new set in your account settings before you run out.")
    }

    /// An account recovery key was added.
    static func recoveryKeyAdded(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Account recovery key created", template: "postAddAccountRecovery",
                   text: "You created an account recovery key. With it, resetting a forgotten password keeps your synced "
                       + "data.\n\nIf you did not do this, change your password now.")
    }

    /// The account recovery key was replaced.
    static func recoveryKeyChanged(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Account recovery key changed", template: "postChangeAccountRecovery",
                   text: "You made a new account recovery key; the old one no longer works.\n\nIf you did not do this, "
                       + "change your password now.")
    }

    /// The account recovery key was removed.
    static func recoveryKeyRemoved(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Account recovery key removed", template: "postRemoveAccountRecovery",
                   text: "Your account recovery key was removed. Resetting a forgotten password now loses your synced "
                       + "data.\n\nIf you did not do this, change your password now.")
    }

    /// The password was reset with the account recovery key, which is spent.
    static func passwordResetWithRecoveryKey(to email: String, uid: AccountUID, at date: Date) -> MailMessage {
        noticeMail(to: email, uid: uid, at: date, subject: "Password reset with your account recovery key",
                   template: "passwordResetAccountRecovery",
                   text: "Your password was reset with your account recovery key, so your synced data is kept. That key "
                       + "is now used up: create a new one in your account settings.\n\nIf you did not do this, "
                       + "change your password now.")
    }

    private static func noticeMail(to email: String, uid: AccountUID, at date: Date, subject: String, template: String, text: String) -> MailMessage {
        MailMessage(to: email, subject: subject, headers: ["X-Uid": uid.hex, "X-Template-Name": template], text: text, sentAt: date)
    }

    private static func codeMail(
        to email: String, uid: AccountUID, at date: Date, subject: String, codeHeader: String, code: String,
        template: String, text: String
    ) -> MailMessage {
        MailMessage(
            to: email, subject: subject, headers: ["X-Uid": uid.hex, codeHeader: code, "X-Template-Name": template],
            text: text, sentAt: date)
    }
}
