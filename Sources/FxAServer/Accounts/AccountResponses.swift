import FxACore
import Vapor

/// The answer to create and login: the new session and, with `?keys=true`,
/// a key-fetch token whose name says which wrapKb its bundle carries.
struct SessionResponse: Content {
    var uid: String
    var sessionToken: String
    var authAt: Int64
    var verified: Bool
    var verificationMethod: String?
    var verificationReason: String?
    var keyFetchToken: String?
    var keyFetchTokenVersion2: String?
}

/// `POST /v1/account/reset`: `{}`, or with `sessionToken: true` the new
/// session FxA answers (`uid`, `sessionToken`, `verified`, `authAt`, and
/// key-fetch tokens with `?keys=true`).
struct AccountResetResponse: Content {
    var uid: String?
    var sessionToken: String?
    var authAt: Int64?
    var verified: Bool?
    var keyFetchToken: String?
    var keyFetchTokenVersion2: String?
}

/// `{"exists": bool}`.
struct AccountExistsResponse: Content {
    var exists: Bool
}

/// `/account/credentials/status`.
struct CredentialsStatusResponse: Content {
    var currentVersion: String
    var clientSalt: String?
    var upgradeNeeded: Bool
}

/// `/account/keys`.
struct KeyBundleResponse: Content {
    var bundle: String
}

/// `/session/status`.
struct SessionStatusResponse: Content {
    var uid: String
    var state: String
    var details: Details

    /// FxA's `details`: what the settings and sign-in pages branch on.
    struct Details: Content {
        var accountEmailVerified: Bool
        /// `email-2fa`, `totp-2fa`, … ; `null` when unverified or confirmed
        /// by the sign-up email.
        var sessionVerificationMethod: String?
        var sessionVerified: Bool
        /// Whether the session gave the second factor when the account has one.
        var sessionVerificationMeetsMinimumAAL: Bool
        var verified: Bool
    }
}

/// `/recovery_email/status`.
struct EmailStatusResponse: Content {
    var email: String
    var verified: Bool
    var sessionVerified: Bool
    var emailVerified: Bool
}

/// `/get_random_bytes`.
struct RandomBytesResponse: Content {
    var data: String
}

/// `GET /v1/account/profile`, as fxa-profile-server's `_core_profile` reads it.
struct AccountProfileResponse: Content {
    var email: String
    var locale: String?
    var authenticationMethods: [String]
    var authenticatorAssuranceLevel: Int
    var profileChangedAt: Int64
}
