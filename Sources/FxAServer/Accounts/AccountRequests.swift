import FxACore
import Vapor

/// `POST /v1/account/create`. v1 clients send `email` and `authPW`; v2
/// clients add `wrapKb`, `authPWVersion2`, `wrapKbVersion2` and
/// `clientSalt`, all four or none.
struct CreateAccountRequest: Content {
    var email: EmailAddress
    var authPW: Hex32
    var wrapKb: Hex32?
    var authPWVersion2: Hex32?
    var wrapKbVersion2: Hex32?
    var clientSalt: ClientSalt?
    var service: String?
    var redirectTo: String?
    var resume: String?
    /// `email-otp` for the 6-digit code; without it, the 32-hex one.
    var verificationMethod: SignupCodeKind?

    /// The v2 credentials, or `nil` for a v1-only sign-up.
    ///
    /// - Throws: errno 108 naming the first missing v2 field when only some
    ///   are present.
    func v2Fields() throws -> V2Credentials? {
        try V2Credentials(authPW: authPWVersion2, wrapKb: wrapKb, wrapKbVersion2: wrapKbVersion2, clientSalt: clientSalt)
    }
}

/// The v2 half of a sign-up or reset body: `authPWVersion2`,
/// `wrapKbVersion2`, `clientSalt`, and the client-chosen v1 `wrapKb` that
/// wraps the same kB. All four or none.
struct V2Credentials {
    let authPW: Hex32
    let wrapKb: Hex32
    let wrapKbVersion2: Hex32
    let clientSalt: ClientSalt

    /// `nil` when none is present.
    ///
    /// - Throws: errno 108 naming the first missing field when only some are.
    init?(authPW: Hex32?, wrapKb: Hex32?, wrapKbVersion2: Hex32?, clientSalt: ClientSalt?) throws {
        guard authPW != nil || wrapKb != nil || wrapKbVersion2 != nil || clientSalt != nil else { return nil }
        guard let authPW else { throw FxAError.missingParameter("authPWVersion2") }
        guard let wrapKbVersion2 else { throw FxAError.missingParameter("wrapKbVersion2") }
        guard let clientSalt else { throw FxAError.missingParameter("clientSalt") }
        guard let wrapKb else { throw FxAError.missingParameter("wrapKb") }
        self.authPW = authPW
        self.wrapKb = wrapKb
        self.wrapKbVersion2 = wrapKbVersion2
        self.clientSalt = clientSalt
    }
}

/// `POST /v1/account/login`.
struct LoginRequest: Content {
    /// The address the password was stretched with (the sign-up address).
    var email: EmailAddress
    /// The address the user typed, when the client retried with the
    /// sign-up address after errno 120 (FxA's web client does).
    var originalLoginEmail: EmailAddress?
    var authPW: Hex32
    var reason: String?
    var service: String?
    var unblockCode: String?
    /// For an account whose email is not confirmed yet: which sign-up code
    /// the sign-in emails again (`email-otp`: the 6-digit one).
    var verificationMethod: SignupCodeKind?
}

/// `POST /v1/account/destroy`.
struct DestroyAccountRequest: Content {
    var email: EmailAddress
    var authPW: Hex32
}

/// Bodies that name an account by email only.
struct EmailRequest: Content {
    var email: EmailAddress
}

/// `POST /v1/recovery_email/verify_code`.
struct VerifyEmailCodeRequest: Content {
    var uid: AccountUID
    var code: Hex16Code
}

/// The signup verification code: 16 random bytes as 32 hex characters, as
/// FxA's emailCode.
struct Hex16Code: FixedLengthHex {
    static let byteCount = 16
    let bytes: Data
    init(uncheckedBytes: Data) { bytes = uncheckedBytes }
}

/// `?keys=true` on create, login and password change.
enum KeysQuery {
    /// Whether the client asked for a key-fetch token; anything but
    /// `true`/`false` is errno 107, as Joi's boolean refuses it.
    static func wantsKeys(_ request: Request) throws -> Bool {
        guard let raw = request.query[String.self, at: "keys"] else { return false }
        switch raw {
        case "true": return true
        case "false": return false
        default: throw FxAError.invalidParameter(["keys"], source: "query")
        }
    }
}

/// `POST /v1/session/verify_code`: `{code}` with the 6-digit emailed code.
struct SessionVerifyCodeRequest: Content {
    var code: SigninCode
}

/// The 6-digit sign-in confirmation code; anything else is errno 107
/// before it can count as a guess.
struct SigninCode: ValidatedText {
    let value: String

    /// `text` when it is six ASCII digits.
    init?(_ text: String) {
        guard text.count == 6, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        value = text
    }
}
