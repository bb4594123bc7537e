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
}
