/// Error numbers of FxA's auth server (`fxa-auth-server/lib/error.js`).
///
/// FxA clients branch on these numbers, not on messages, so every value here
/// must keep the meaning Mozilla gave it. The OAuth server reuses the same
/// numbers with other meanings; those live in ``OAuthErrno`` so the two tables
/// can never be mixed up, and the compiler refuses a duplicate in either.
public enum AuthErrno: Int, Sendable, Codable, CaseIterable {
    case serverConfigError = 100
    case accountExists = 101
    case accountUnknown = 102
    case incorrectPassword = 103
    case accountUnverified = 104
    case invalidVerificationCode = 105
    case invalidJSON = 106
    case invalidParameter = 107
    case missingParameter = 108
    case invalidRequestSignature = 109
    case invalidToken = 110
    case invalidTimestamp = 111
    case missingContentLength = 112
    case requestTooLarge = 113
    case throttled = 114
    case invalidNonce = 115
    case endpointNotSupported = 116
    case incorrectEmailCase = 120
    case deviceUnknown = 123
    case deviceConflict = 124
    case requestBlocked = 125
    case accountReset = 126
    case invalidUnblockCode = 127
    case emailExists = 136
    case emailDeletePrimary = 137
    case sessionUnverified = 138
    case userPrimaryEmailExists = 139
    case verifiedPrimaryEmailExists = 140
    case unverifiedPrimaryEmailNewlyCreated = 141
    case loginWithSecondaryEmail = 142
    case secondaryEmailUnknown = 143
    case verifiedSecondaryEmailExists = 144
    case resetPasswordWithSecondaryEmail = 145
    case invalidSigninCode = 146
    case changeEmailToUnverifiedEmail = 147
    case changeEmailToUnownedEmail = 148
    case loginWithInvalidEmail = 149
    case resendEmailCodeToUnownedEmail = 150
    case failedToSendEmail = 151
    case invalidTokenVerificationCode = 152
    case expiredTokenVerificationCode = 153
    case totpTokenExists = 154
    case totpTokenNotFound = 155
    case recoveryCodeNotFound = 156
    case deviceCommandUnavailable = 157
    case recoveryKeyNotFound = 158
    case recoveryKeyInvalid = 159
    case totpRequired = 160
    case recoveryKeyExists = 161
    case unknownClientID = 162
    case invalidScopes = 163
    case staleAuthAt = 164
    case notPublicClient = 166
    case incorrectRedirectURI = 167
    case invalidResponseType = 168
    case missingPKCEParameters = 169
    case insufficientACRValues = 170
    case incorrectClientSecret = 171
    case unknownAuthorizationCode = 172
    case mismatchAuthorizationCode = 173
    case expiredAuthorizationCode = 174
    case invalidPKCEChallenge = 175
    case refreshTokenUnknown = 182
    case invalidExpiredOTPCode = 183
    case maxSecondaryEmailsReached = 188
    case alreadyOwnsEmail = 189
    case serverBusy = 201
    case featureNotEnabled = 202
    case backendServiceFailure = 203
    case disabledClientID = 204
    case insufficientAAL = 222
    case invalidMFAToken = 223
    case unexpectedError = 999
}
