import FxACore
import FxAStore
import Vapor

/// Who may change an account's security (two-step authentication, backup
/// codes, the recovery key): a fully verified session, named either by the
/// request's session token (older clients) or by an MFA token for the
/// change (today's FxA clients).
struct SecurityChangeAuthenticator: Sendable {
    let authenticator: TokenAuthenticator
    let mfaTokens: MFATokens
    let twoStep: TwoStepService

    /// How a route is authorized.
    enum Authorization: Sendable {
        /// The request's session token.
        case sessionToken
        /// `Authorization: Bearer <MFA token>` for this action.
        case mfaToken(MFAAction)
    }

    /// The session, which must be fully verified: the account's email and
    /// the sign-in confirmed, and the second factor given when the account
    /// has one (``TwoStepService/requireVerified(_:)``).
    func session(_ request: Request, by authorization: Authorization) async throws -> SignedInSession {
        let session = switch authorization {
        case .mfaToken(let action): try await authenticator.authenticateMFA(request, for: action, tokens: mfaTokens)
        case .sessionToken: SignedInSession(try await authenticator.authenticateWithAccount(request, as: [.sessionToken]))
        }
        try await twoStep.requireVerified(session)
        return session
    }
}
