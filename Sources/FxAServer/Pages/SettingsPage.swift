import FxACore
import FxAStore
import Foundation

/// `/settings`: the account at a glance and every setting a user changes
/// themselves: display name, avatar, email addresses, password, Devices &
/// apps, the developer console, deleting the account, signing out.
///
/// Settings that do not need the password are plain forms (no script),
/// each posting with the session's CSRF token and coming back here. The
/// password change and account deletion need the password, which only the
/// page's script may touch (`settings.js`, ``PageAsset/settings``): without JavaScript those
/// two forms stay hidden, and the page says why.
struct SettingsPage: RenderedPage {
    let account: AccountRecord
    let displayName: String?
    /// The avatar's URL (uploaded or the default monogram), on our origin.
    let avatarURL: String
    let hasUploadedAvatar: Bool
    /// Primary first, as `/v1/recovery_emails` lists them.
    let emails: [RecoveryEmailResponse]
    let csrfToken: String
    /// A confirmation or refusal to show after a change (`nil`: none).
    let notice: String?
    /// The pages stand on Firefox's own session (``WebSession/sharesToken``):
    /// signing out here signs Firefox out, so the page tells it.
    var sharesSessionWithFirefox = false
    /// Where the two-step authentication section stands.
    var twoStep: TwoStepSection = .off
    /// Backup codes just made, shown this once (never stored in clear).
    var newBackupCodes: [String] = []
    /// How many unused backup codes the account has.
    var backupCodesLeft = 0
    /// The account recovery key: whether there is one, and its hint.
    var recoveryKey = RecoveryKeyExistsResponse(exists: false, hint: nil)

    /// The two-step authentication section's step. Turning it on or off
    /// first asks for a code emailed to the account (FxA's step-up), then
    /// turning it on shows the secret until a code from the app confirms it.
    enum TwoStepSection: Sendable {
        case off
        /// A code was emailed to confirm turning it on (`true`) or off.
        case askingEmailCode(turningOn: Bool)
        /// The pending secret, to scan or type into the app.
        case scanning(TOTPSecretResponse)
        case on
    }

    /// Our script, style, images and API only; forms post to us.
    var contentSecurityPolicy: ContentSecurityPolicy { .scriptedPage }

    /// What the script needs: the address the password is salted with, and
    /// the CSRF token for its calls. No secret is in it.
    struct ScriptData: Encodable {
        var hashEmail: String
        var primaryEmail: String
        var csrfToken: String
        /// The account, so the page speaks to Firefox only when Firefox is
        /// signed in to this same account (`webchannel.js`).
        var uid: String
        /// Whether signing out ends Firefox's session too (then Firefox is told).
        var sharesSessionWithFirefox: Bool
    }

    static let template = PageTemplate.settings

    struct Context: Encodable, Sendable {
        let title = "Account settings"
        let avatarURL: String
        let primaryEmail: String
        let displayName: String
        let hasUploadedAvatar: Bool
        let emails: [Email]
        let csrfToken: String
        let twoStep: TwoStep
        let hasRecoveryKey: Bool
        let recoveryKeyHint: String?
        let notice: String?
        let noticeIsError = false
        let scriptData: String
    }

    /// The two-step section as the template reads it: one flag per step,
    /// and the secret while it is being set up.
    struct TwoStep: Encodable, Sendable {
        var isOn = false
        /// Backup codes just made, each to be written down now.
        var newBackupCodes: [String] = []
        var showsNewBackupCodes = false
        var backupCodesLeft = 0
        var backupCodesLow = false
        var asksEmailCode = false
        /// `on` or `off`: what the emailed code confirms.
        var change = "on"
        var isScanning = false
        /// The secret in groups of four, for typing into an app.
        var secret = ""
        /// The `otpauth://` URI the page draws as a QR code.
        var uri = ""

        init(_ section: TwoStepSection, newBackupCodes: [String], backupCodesLeft: Int) {
            self.newBackupCodes = newBackupCodes
            showsNewBackupCodes = !newBackupCodes.isEmpty
            self.backupCodesLeft = backupCodesLeft
            backupCodesLow = backupCodesLeft <= BackupCodeService.lowCount
            switch section {
            case .off: break
            case .on: isOn = true
            case .askingEmailCode(let turningOn):
                asksEmailCode = true
                change = turningOn ? "on" : "off"
                isOn = !turningOn
            case .scanning(let setup):
                isScanning = true
                let characters = Array(setup.secret)
                secret = stride(from: 0, to: characters.count, by: 4)
                    .map { String(characters[$0..<min($0 + 4, characters.count)]) }
                    .joined(separator: " ")
                uri = setup.qrCodeUrl
            }
        }
    }

    /// One address and what can be done to it: an unconfirmed one takes its
    /// code here, a confirmed one can become primary, and any but the
    /// primary can be removed.
    struct Email: Encodable, Sendable {
        let address: String
        let state: String
        let awaitsCode: Bool
        let mayBecomePrimary: Bool
        let removable: Bool

        init(_ email: RecoveryEmailResponse) {
            address = email.email
            state = email.isPrimary ? "Primary" : email.verified ? "Confirmed" : "Waiting for the code we emailed"
            awaitsCode = !email.isPrimary && !email.verified
            mayBecomePrimary = !email.isPrimary && email.verified
            removable = !email.isPrimary
        }
    }

    func context() throws -> Context {
        let data = ScriptData(
            hashEmail: account.email, primaryEmail: account.primaryEmail, csrfToken: csrfToken, uid: account.uid.hex,
            sharesSessionWithFirefox: sharesSessionWithFirefox)
        return Context(
            avatarURL: avatarURL, primaryEmail: account.primaryEmail, displayName: displayName ?? "",
            hasUploadedAvatar: hasUploadedAvatar, emails: emails.map(Email.init), csrfToken: csrfToken,
            twoStep: TwoStep(twoStep, newBackupCodes: newBackupCodes, backupCodesLeft: backupCodesLeft),
            hasRecoveryKey: recoveryKey.exists, recoveryKeyHint: recoveryKey.hint, notice: notice,
            scriptData: try ScriptJSON.encode(data))
    }
}
