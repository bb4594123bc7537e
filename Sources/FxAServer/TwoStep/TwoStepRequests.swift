import FxACore
import Vapor

/// A code typed from an authenticator app, as FxA's validator takes it:
/// 1 to 32 ASCII digits. Only six digits can match; other lengths are
/// answered as a wrong code, as FxA does, not as a malformed body.
struct AuthenticatorCode: ValidatedText {
    let value: String

    init?(_ text: String) {
        guard (1...32).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        value = text
    }
}

/// `POST /v1/mfa/otp/request`.
struct MFACodeRequest: Content {
    var action: MFAAction
}

/// `POST /v1/mfa/otp/verify`: the emailed 6-digit code and its action.
struct MFACodeVerifyRequest: Content {
    var code: SigninCode
    var action: MFAAction
}

/// `POST /v1/mfa/otp/verify`'s answer: the MFA token.
struct MFATokenResponse: Content {
    var accessToken: String
}

/// `POST /v1/totp/setup/verify`, `/v1/session/verify/totp`.
struct AuthenticatorCodeRequest: Content {
    var code: AuthenticatorCode
    var service: String?
}

/// `POST /v1/totp/create`, `/v1/mfa/totp/create`: the secret to give the app.
struct TOTPSecretResponse: Content {
    /// The secret in base32, as an app takes it typed.
    var secret: String
    /// The `otpauth://` URI of the secret. FxA sends a PNG data URL of its
    /// QR code here; this server's pages draw the QR code in the browser
    /// from the URI, so the server carries no image library.
    var qrCodeUrl: String
}

/// `GET /v1/totp/exists`.
struct TOTPExistsResponse: Content {
    var exists: Bool
    var verified: Bool
}

/// `{"success": …}`: the setup and sign-in code checks.
struct SuccessResponse: Content {
    var success: Bool
}

/// `{"status": "success"}`: `/v1/mfa/otp/request`.
struct StatusResponse: Content {
    var status: String
}

/// A backup code as typed: 1 to 20 letters and digits (FxA's validator),
/// with spaces and dashes a person copied it with taken out.
struct BackupCodeText: ValidatedText {
    let value: String

    init?(_ text: String) {
        let normalized = BackupCodeService.normalize(text)
        guard (1...20).contains(normalized.count), normalized.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        value = normalized
    }
}

/// `POST /v1/session/verify/recoveryCode`.
struct BackupCodeRequest: Content {
    var code: BackupCodeText
}

/// Its answer: how many codes are left.
struct BackupCodeVerifiedResponse: Content {
    var remaining: Int
}

/// `GET /v1/recoveryCodes`: the new set, shown once.
struct BackupCodesResponse: Content {
    var recoveryCodes: [String]
}

/// `POST`/`PUT /v1/recoveryCodes`: a set the client made.
struct BackupCodesRequest: Content {
    var recoveryCodes: [String]
}

/// `GET /v1/recoveryCodes/exists`.
struct BackupCodesExistResponse: Content {
    var hasBackupCodes: Bool
    var count: Int
}
