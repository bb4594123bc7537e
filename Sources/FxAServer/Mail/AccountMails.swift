import FxACore
import FxAStore
import Foundation

/// The messages the account flows send, with FxA's code headers.
enum AccountMails {
    /// Sign-up verification: the code in `X-Verify-Code`, the account in `X-Uid`.
    static func verifyEmail(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        MailMessage(
            to: email, subject: "Confirm your account",
            headers: ["X-Uid": uid.hex, "X-Verify-Code": code, "X-Template-Name": "verify"],
            text: "Confirm your account with this code: \(code)\n\nIf you did not create an account, ignore this email.",
            sentAt: date)
    }

    /// Forgot password: the one-time code in `X-Password-Forgot-Otp`.
    static func passwordForgotOTP(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        MailMessage(
            to: email, subject: "Reset your password",
            headers: ["X-Uid": uid.hex, "X-Password-Forgot-Otp": code, "X-Template-Name": "passwordForgotOtp"],
            text: "Use this code to reset your password: \(code)\n\nIt expires in 10 minutes. If you did not ask for it, ignore this email.",
            sentAt: date)
    }

    /// Sign-in confirmation: the 6-digit code in `X-Signin-Verify-Code`.
    static func signinCode(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        MailMessage(
            to: email, subject: "Confirm your sign-in",
            headers: ["X-Uid": uid.hex, "X-Signin-Verify-Code": code, "X-Template-Name": "verifyLoginCode"],
            text: "Confirm this sign-in with the code \(code).\n\nIf it was not you, change your password now.",
            sentAt: date)
    }

    /// Legacy forgot password: the code in `X-Recovery-Code`.
    static func recoveryCode(to email: String, uid: AccountUID, code: String, at date: Date) -> MailMessage {
        MailMessage(
            to: email, subject: "Reset your password",
            headers: ["X-Uid": uid.hex, "X-Recovery-Code": code, "X-Template-Name": "recoveryEmail"],
            text: "Use this code to reset your password: \(code)\n\nIf you did not ask for it, ignore this email.",
            sentAt: date)
    }
}
