/// How a session proved more than the password, as FxA records it: the
/// numbers are FxA's database values, the names its API's
/// `verificationMethod` / `sessionVerificationMethod` strings.
public enum SessionVerificationMethod: Int, Sendable, Equatable, CaseIterable {
    /// The emailed confirmation (sign-up link or code).
    case email = 0
    /// The emailed sign-in code (`/session/verify_code`).
    case emailCode = 1
    /// A code from the authenticator app.
    case totp = 2
    /// A backup authentication code.
    case recoveryCode = 3

    /// The API's name: `email`, `email-2fa`, `totp-2fa`, `recovery-code`.
    public var name: String {
        switch self {
        case .email: "email"
        case .emailCode: "email-2fa"
        case .totp: "totp-2fa"
        case .recoveryCode: "recovery-code"
        }
    }

    /// The OIDC `amr` value the method adds to `pwd`: `email` for the mail
    /// methods, `otp` for the second factors.
    public var authenticationMethod: String {
        switch self {
        case .email, .emailCode: "email"
        case .totp, .recoveryCode: "otp"
        }
    }
}

/// What a session proved, as OIDC reports it: `amr` and the assurance
/// level FxA derives from it (one per kind of factor: the password and an
/// email are both something known, a code from an app something held).
public struct SessionAssurance: Sendable, Equatable {
    /// `amr`: always `pwd`, plus the verifying method's (`email` for a
    /// verified session that recorded none, as FxA does).
    public let authenticationMethods: [String]
    /// 1, or 2 with a second factor.
    public let level: Int

    public init(verified: Bool, method: SessionVerificationMethod?) {
        var methods = ["pwd"]
        if let method {
            if verified { methods.append(method.authenticationMethod) }
        } else if verified {
            methods.append("email")
        }
        authenticationMethods = methods
        level = methods.contains("otp") ? 2 : 1
    }

    /// `AAL1` or `AAL2`: the ID token's `acr`.
    public var acr: String { "AAL\(level)" }
}
