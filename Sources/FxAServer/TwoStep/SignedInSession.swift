import FxACore
import FxAStore

/// A session token with its account, however the request proved it: by the
/// token itself (Hawk or `Bearer fxs_…`) or by an MFA token naming it.
/// What the two-step routes act on.
struct SignedInSession: Sendable {
    let token: StoredToken
    let account: AccountRecord

    var uid: AccountUID { account.uid }

    init(token: StoredToken, account: AccountRecord) {
        self.token = token
        self.account = account
    }

    init(_ authenticated: AuthenticatedAccount) {
        self.init(token: authenticated.token.stored, account: authenticated.account)
    }

    /// The assurance the session reached: `amr` and the level.
    var assurance: SessionAssurance {
        SessionAssurance(verified: token.verified, method: token.verificationMethod)
    }
}
