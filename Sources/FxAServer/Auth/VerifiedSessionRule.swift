import FxACore
import FxAStore

/// FxA's verified session: the one rule for everything a session does with
/// a confirmed sign-in (OAuth codes and tokens made from it, scoped-key
/// data, email addresses, the server's own pages, every security change).
///
/// The account's email must be confirmed (errno 104) and the sign-in too
/// (138); with two-step authentication on, the session must also have
/// given the second factor (222). So a session signed in before two-step
/// authentication was turned on, perhaps a stolen one the user turned it on
/// against, gives a code before it makes anything new, as FxA's newest
/// servers refuse it. Tokens it already holds (refresh tokens, Sync's
/// token) are not taken back: a password change does that.
struct VerifiedSessionRule: Sendable {
    let totp: any TOTPStore

    /// Throws 104, 138 or 222 unless `token`, a session of `account`, meets
    /// the rule.
    func check(_ token: StoredToken, account: AccountRecord) async throws {
        guard account.emailVerified else { throw FxAError.unverifiedAccount() }
        guard token.verified else { throw FxAError.unverifiedSession() }
        try await requireAccountLevel(token)
    }

    /// Throws 222 when the account has two-step authentication on and the
    /// session did not give the second factor; for callers that checked
    /// the rest already, or must check something in between (an RP's
    /// `acr_values` is refused first with its own errno).
    func requireAccountLevel(_ token: StoredToken) async throws {
        guard try await meetsAccountLevel(token) else { throw FxAError.insufficientAAL() }
    }

    /// Whether `token` meets the rule, for pages that show a sign-in rather
    /// than an error.
    func isMet(by token: StoredToken, account: AccountRecord) async throws -> Bool {
        guard account.emailVerified, token.verified else { return false }
        return try await meetsAccountLevel(token)
    }

    private func meetsAccountLevel(_ token: StoredToken) async throws -> Bool {
        if SessionAssurance(verified: token.verified, method: token.verificationMethod).level >= 2 { return true }
        return try await !totp.isEnabled(uid: token.uid)
    }
}
