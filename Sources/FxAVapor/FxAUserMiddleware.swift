import FxAClient
import Foundation
import Vapor

/// Loads the signed-in ``FxAUser`` from the session on every request, and
/// ends the session when the provider has since reported that the account
/// was deleted (the store no longer has the user) or that its password
/// changed after this session signed in — the integration guide's "log the
/// user out everywhere on password change".
///
/// A session counts as signed in only when the request also carries the
/// binding cookie set at sign-in (its hash is in the session). Vapor cannot
/// give a session a new id mid-request, so this is what defeats session
/// fixation: an attacker who planted a session id in the victim's browser
/// never sees the binding cookie the victim's sign-in set.
///
/// Install after `app.sessions.middleware`.
public struct FxAUserMiddleware: AsyncMiddleware {
    let users: any FxAUserStore

    /// The middleware over the app's user store.
    public init(users: any FxAUserStore) {
        self.users = users
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Reading `request.session` would create (and store) a session for
        // every cookieless request: webhooks, health checks, bots.
        guard request.hasSession else { return try await next.respond(to: request) }
        if let uid = request.session.data[FxASessionKey.uid],
           let signedIn = request.session.data[FxASessionKey.signedInAt].flatMap(Double.init),
           SessionBinding.matches(request)
        {
            let signedInAt = Date(timeIntervalSince1970: signedIn)
            if let stored = try await users.user(uid: uid),
               stored.passwordChangedAt.map({ $0 <= signedInAt }) ?? true
            {
                request.auth.login(FxAUser(
                    uid: uid, email: stored.profile.email, displayName: stored.profile.displayName,
                    avatar: stored.profile.avatar, signedInAt: signedInAt))
            } else {
                request.logger.info("ending an FxA session the provider invalidated", metadata: ["uid": .string(uid)])
                // Forget the sign-in rather than destroying the session: the
                // request may go on to start a new sign-in in this session,
                // and a destroyed one would drop it.
                request.session.signOutOfFxA()
            }
        }
        return try await next.respond(to: request)
    }
}
