import FxACore
import FxAStore
import Foundation
import Vapor

/// Renders `/settings` for a session: the page every settings form comes
/// back to, with a notice of what it did or why it could not.
struct SettingsPageLoader: Sendable {
    let profiles: any ProfileStore
    let emails: SecondaryEmailService
    let twoStep: TwoStepService
    let backupCodes: BackupCodeService
    let recoveryKeys: RecoveryKeyService

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
        case "two_step_code": "We emailed you a code. Enter it below to confirm it is you."
        case "two_step_scan": "Add the account to your authenticator app, then enter the code it shows."
        case "two_step_off": "Two-step authentication is off. Signing in asks for your password only."
        case "recovery_key": "Your account recovery key is saved. Keep it somewhere safe."
        case "recovery_key_removed": "Your account recovery key is removed."
        default: nil
        }
    }

    /// The page, with `notice`. `askingTwoStepCode` shows the emailed-code
    /// step (after a code was sent or a wrong one was typed), which turns
    /// two-step authentication on or off as the account's state calls for;
    /// `newBackupCodes`, the codes just made, this once.
    func response(
        _ request: Request, _ current: WebSessions.Current, notice: String?, status: HTTPResponseStatus = .ok,
        askingTwoStepCode: Bool = false, newBackupCodes: [String] = []
    ) async throws -> Response {
        let uid = current.account.uid
        let profile = try await profiles.profile(uid: uid)
        let twoStepSection: SettingsPage.TwoStepSection = switch try await twoStep.state(
            for: SignedInSession(token: current.token, account: current.account)) {
        case .on: askingTwoStepCode ? .askingEmailCode(turningOn: false) : .on
        case .off: askingTwoStepCode ? .askingEmailCode(turningOn: true) : .off
        case .settingUp(let setup): askingTwoStepCode ? .askingEmailCode(turningOn: true) : .scanning(setup)
        }
        let page = SettingsPage(
            account: current.account, displayName: profile?.displayName,
            avatarURL: profile.map(AvatarURLs.path(for:)) ?? "/v1/avatar/%3F", hasUploadedAvatar: profile?.avatarID != nil,
            emails: try await emails.list(account: current.account), csrfToken: current.csrfToken, notice: notice,
            sharesSessionWithFirefox: current.session.sharesToken, twoStep: twoStepSection,
            newBackupCodes: newBackupCodes, backupCodesLeft: try await backupCodes.count(uid: uid),
            recoveryKey: try await recoveryKeys.existence(uid: uid))
        return try await request.render(page, status: status)
    }
}
