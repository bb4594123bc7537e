import FxACore
import FxAStore
import Vapor

extension TokenAuthenticator {
    /// The session an MFA token (`Authorization: Bearer <jwt>`) was issued
    /// to, for `action`.
    ///
    /// - Throws: errno 223 for a missing, forged, expired or other-action
    ///   token, or one whose session has ended.
    func authenticateMFA(_ request: Request, for action: MFAAction, tokens mfa: MFATokens) async throws -> SignedInSession {
        guard let header = request.headers.first(name: .authorization), header.lowercased().hasPrefix("bearer ") else {
            throw FxAError.invalidMFAToken()
        }
        let (uid, sessionHash) = try await mfa.check(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), for: action)
        guard let session = try await tokens.token(idHash: sessionHash), session.kind == .sessionToken, session.uid == uid,
              let account = try await accounts.account(uid: uid)
        else { throw FxAError.invalidMFAToken() }
        return SignedInSession(token: session, account: account)
    }
}
