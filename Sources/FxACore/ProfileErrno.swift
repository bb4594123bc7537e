/// Error numbers of FxA's profile server (`fxa-profile-server/lib/error.js`).
///
/// A third table: 101 means "invalid request parameter" here, "unknown
/// client" on the OAuth server and "account exists" on the auth server, so
/// the profile routes answer from this type and cannot borrow another's.
public enum ProfileErrno: Int, Sendable, Codable, CaseIterable {
    case unauthorized = 100
    case invalidRequestParameter = 101
    case unsupportedProvider = 102
    case imageProcessingError = 103
    case oauthServerError = 104
    case authServerError = 105
    case throttled = 114
    case requestBlocked = 125
    case unexpectedError = 999
}
