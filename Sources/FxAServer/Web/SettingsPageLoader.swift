import FxACore
import FxAStore
import Foundation
import Vapor

/// Renders `/settings` for a session: the page every settings form comes
/// back to, with a notice of what it did or why it could not.
struct SettingsPageLoader: Sendable {
    let profiles: any ProfileStore
    let emails: SecondaryEmailService

    /// What a `?done=` after a change says. Only these fixed texts: nothing
    /// from the query is shown.
    static func notice(done: String?) -> String? {
        switch done {
        case "display_name": "Your display name is saved."
        case "avatar": "Your profile picture is saved."
        case "avatar_removed": "Your profile picture is removed."
        case "email_added": "We emailed a code to the new address. Enter it below to confirm the address."
        case "email_resent": "We emailed a new code."
        case "email_verified": "The address is confirmed."
        case "email_primary": "Your primary email address is changed. Apps you use are told."
        case "email_removed": "The address is removed."
        case "password": "Your password is changed. Other devices and browsers have to sign in again."
        default: nil
        }
    }

    func response(_ request: Request, _ current: WebSessions.Current, notice: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let uid = current.account.uid
        let profile = try await profiles.profile(uid: uid)
        let page = SettingsPage(
            account: current.account, displayName: profile?.displayName,
            avatarURL: profile.map(AvatarURLs.path(for:)) ?? "/v1/avatar/%3F", hasUploadedAvatar: profile?.avatarID != nil,
            emails: try await emails.list(account: current.account), csrfToken: current.csrfToken, notice: notice,
            sharesSessionWithFirefox: current.session.sharesToken)
        return try await request.render(page, status: status)
    }
}
