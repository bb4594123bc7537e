import FxACore
import FxAStore
import Foundation

/// Whether an RP's `/authorization` request can use the browser's web
/// session instead of asking for the password again (single sign-on), as
/// FxA's pages do for a browser that is signed in.
///
/// Only when nothing in the request asks for a fresh or different sign-in:
/// `prompt=login`, a `max_age` the sign-in is older than, an `email` or
/// `login_hint` (or `force_auth`'s email) naming another account, or
/// scoped keys, which need the password to unwrap kB in the page.
enum SingleSignOn {
    enum Decision: Equatable {
        /// The web session may sign this request in (the page offers
        /// "Continue as", and `prompt=none` gets its code at once when no
        /// consent is needed).
        case available
        /// A sign-in with the password is needed; with `prompt=none` this
        /// is the OIDC error to answer (`login_required`, or
        /// `interaction_required` for keys).
        case unavailable(oidcError: String, reason: String)
    }

    static func decide(
        _ request: BrowserAuthorizationRequest, session: WebSessions.Current?, keysWanted: Bool, now: Date
    ) -> Decision {
        guard let session else { return .unavailable(oidcError: "login_required", reason: "The user is not signed in") }
        if request.prompt.contains(.login) {
            return .unavailable(oidcError: "login_required", reason: "A new sign-in was asked for")
        }
        if let maxAge = request.maxAge, now.timeIntervalSince(session.token.createdAt) > TimeInterval(maxAge) {
            return .unavailable(oidcError: "login_required", reason: "The sign-in is older than max_age")
        }
        let account = session.account
        let addresses = [account.primaryEmail, account.email].map(EmailAddress.normalize)
        for named in [request.email, request.loginHint].compactMap({ $0.map(EmailAddress.normalize) }) where !addresses.contains(named) {
            return .unavailable(oidcError: "login_required", reason: "Another account is signed in")
        }
        if keysWanted {
            return .unavailable(oidcError: "interaction_required", reason: "Encryption keys need the password")
        }
        // The pages accept only two-step sessions for accounts that have it
        // (``WebPageGate/signedIn(_:)``), so a weaker session here belongs
        // to an account without it: the RP's requirement cannot be met.
        if request.requiresTwoStep,
           SessionAssurance(verified: session.token.verified, method: session.token.verificationMethod).level < 2 {
            return .unavailable(
                oidcError: "unmet_authentication_requirements",
                reason: "This app requires two-step authentication, which the account has not turned on")
        }
        return .available
    }
}
