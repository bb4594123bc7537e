/// Error numbers of FxA's OAuth server (`fxa-auth-server/lib/oauth/error.js`).
///
/// These overlap numerically with ``AuthErrno`` but mean other things (101 is
/// "unknown client" here and "account exists" there), which is why they are a
/// separate type: an OAuth route cannot accidentally answer with an auth errno.
public enum OAuthErrno: Int, Sendable, Codable, CaseIterable {
    case unknownClient = 101
    case incorrectSecret = 102
    case incorrectRedirectURI = 103
    case invalidAssertion = 104
    case unknownCode = 105
    case incorrectCode = 106
    case expiredCode = 107
    case invalidToken = 108
    case invalidRequestParameter = 109
    case invalidResponseType = 110
    case unauthorizedForRoute = 111
    case forbidden = 112
    case invalidContentType = 113
    case invalidScopes = 114
    case expiredToken = 115
    case notPublicClient = 116
    case incorrectCodeChallenge = 117
    case missingPKCEParameters = 118
    case staleAuthAt = 119
    case mismatchACR = 120
    case invalidGrantType = 121
    case unknownToken = 122
    case disabledClient = 202
    case unexpectedError = 999
}
