import FxACore
import Vapor

/// `POST /v1/password/change/start`.
struct PasswordChangeStartRequest: Content {
    var email: EmailAddress
    var oldAuthPW: Hex32
}

/// `POST /v1/password/change/finish`: the new v1 credentials, optionally
/// the new v2 ones, and the id of the session to carry over.
struct PasswordChangeFinishRequest: Content {
    var authPW: Hex32
    var wrapKb: Hex32
    /// The token id (not the token) of the session that started the change.
    var sessionToken: Hex32?
    var authPWVersion2: Hex32?
    var wrapKbVersion2: Hex32?
    var clientSalt: ClientSalt?

    /// The v2 fields, all three or none.
    func v2Fields() throws -> (authPW: Hex32, wrapKb: Hex32, clientSalt: ClientSalt)? {
        guard authPWVersion2 != nil || wrapKbVersion2 != nil || clientSalt != nil else { return nil }
        guard let authPWVersion2 else { throw FxAError.missingParameter("authPWVersion2") }
        guard let wrapKbVersion2 else { throw FxAError.missingParameter("wrapKbVersion2") }
        guard let clientSalt else { throw FxAError.missingParameter("clientSalt") }
        return (authPWVersion2, wrapKbVersion2, clientSalt)
    }
}

/// `POST /v1/account/reset`: `authPW` alone (the server makes a new kB) or
/// with the v2 fields and a client-chosen `wrapKb`.
struct AccountResetRequest: Content {
    var authPW: Hex32
    var wrapKb: Hex32?
    var authPWVersion2: Hex32?
    var wrapKbVersion2: Hex32?
    var clientSalt: ClientSalt?
    /// The fingerprint of the account recovery key the client opened kB
    /// with; `wrapKb` then wraps that same kB, so the keys are kept.
    var recoveryKeyId: RecoveryKeyID?
    /// `true`: answer with a new session (and with `?keys=true` key-fetch
    /// tokens), so the client is signed in without typing the new password.
    var sessionToken: Bool?

    /// The v2 credentials and the client's new v1 `wrapKb`, all four or none.
    /// With a recovery key, `wrapKb` alone is a v1 reset that keeps kB.
    func v2Fields() throws -> V2Credentials? {
        if recoveryKeyId != nil, authPWVersion2 == nil, wrapKbVersion2 == nil, clientSalt == nil { return nil }
        return try V2Credentials(authPW: authPWVersion2, wrapKb: wrapKb, wrapKbVersion2: wrapKbVersion2, clientSalt: clientSalt)
    }
}

/// `POST /v1/password/forgot/send_otp`.
struct ForgotSendRequest: Content {
    var email: EmailAddress
    var service: String?
}

/// `POST /v1/password/forgot/verify_otp`.
struct ForgotVerifyOTPRequest: Content {
    var email: EmailAddress
    var code: String
}

/// `POST /v1/password/forgot/verify_code`.
struct ForgotVerifyCodeRequest: Content {
    var code: Hex16Code
}

/// The answers of the password flows.
struct PasswordChangeStartResponse: Content {
    var passwordChangeToken: String
    var keyFetchToken: String?
    var keyFetchToken2: String?
}

struct PasswordChangeFinishResponse: Content {
    var uid: String
    var sessionToken: String
    var verified: Bool
    var authAt: Int64
    var keyFetchToken: String?
    var keyFetchToken2: String?
}

struct ForgotVerifyOTPResponse: Content {
    var token: String
    var code: String
    var uid: String
    var emailToHashWith: String
}

struct AccountResetTokenResponse: Content {
    var accountResetToken: String
}

/// `password/forgot/send_code` and `resend_code` (legacy flow).
struct LegacyForgotCodeResponse: Content {
    var passwordForgotToken: String?
    var ttl: Int
    var codeLength: Int
    var tries: Int
}

/// `GET password/forgot/status` (legacy flow).
struct LegacyForgotStatusResponse: Content {
    var tries: Int
    var ttl: Int
}
