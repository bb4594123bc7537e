/// Which sign-up code an account's email gets, as the client chose with
/// `verificationMethod` on `/account/create` or `/account/login`.
///
/// FxA's current pages ask for `email-otp`: six digits a person types,
/// confirmed with the session at `/session/verify_code`. Without it (PyFxA,
/// older clients) the code is FxA's 32-hex `emailCode`, confirmed at
/// `/recovery_email/verify_code` as its links do. Only the code sent last
/// is valid, whichever kind it is.
enum SignupCodeKind: ValidatedText, Equatable {
    case link
    case shortCode

    var value: String {
        switch self {
        case .link: "email"
        case .shortCode: "email-otp"
        }
    }

    /// FxA's `verificationMethod` values: `email-otp` asks for the short
    /// code; the others FxA accepts (`email`, `email-2fa`, `email-captcha`,
    /// `totp-2fa`) send the link's code, as FxA does for a new account.
    /// Anything else is errno 107.
    init?(_ text: String) {
        switch text {
        case "email-otp": self = .shortCode
        case "email", "email-2fa", "email-captcha", "totp-2fa": self = .link
        default: return nil
        }
    }

    /// The mail header that carries the code, as FxA names it.
    var mailHeader: String {
        switch self {
        case .link: "X-Verify-Code"
        case .shortCode: "X-Verify-Short-Code"
        }
    }
}
