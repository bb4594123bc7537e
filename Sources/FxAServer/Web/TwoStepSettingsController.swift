import FxACore
import FxAStore
import Foundation
import Vapor

/// The settings page's account-security forms. Two-step authentication:
/// turning it on and off, each first confirmed with a code emailed to the
/// account (the step FxA's settings take through an MFA token), then, to
/// turn it on, the secret scanned into an app and confirmed with the app's
/// first code; new backup codes. And removing the account recovery key
/// (the page's script makes keys: kB never leaves the browser).
///
/// Plain forms with the session's CSRF token, coming back to the section
/// of `/settings` (post/redirect/get); only the QR code needs the page's script, and the
/// secret is also shown as text to type.
struct TwoStepSettingsController: RouteCollection {
    let gate: WebPageGate
    let settings: SettingsPageLoader
    let twoStep: TwoStepService
    let backupCodes: BackupCodeService
    let recoveryKeys: RecoveryKeyService
    let customs: Customs

    func boot(routes: any RoutesBuilder) throws {
        let forms = routes.grouped("settings", "two-step")
        forms.post("code", use: sendCode)
        forms.post("confirm", use: confirm)
        forms.post("enable", use: enable)
        forms.post("backup-codes", use: newBackupCodes)
        routes.post("settings", "recovery-key", "remove", use: removeRecoveryKey)
    }

    /// Removes the account recovery key (the page makes keys itself: kB
    /// never leaves it).
    @Sendable func removeRecoveryKey(_ request: Request) async throws -> Response {
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.settings)
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(current, _):
            try await recoveryKeys.delete(account: current.account)
            return gate.redirect(request, to: WebPagePaths.settings + "?done=recovery_key_removed#recovery-key")
        }
    }

    /// Emails the code that confirms turning it on or off.
    @Sendable func sendCode(_ request: Request) async throws -> Response {
        try await form(request) { session, _ in
            try await customs.check(.emailSend, subject: session.uid.hex, ip: request.clientIP)
            try await twoStep.sendStepUpCode(for: .twoStep, session: session)
            return .done("two_step_code")
        }
    }

    /// Takes the emailed code, then turns it off, or starts the setup. The
    /// form says which it confirms (`change`), and that must be what the
    /// account's state calls for, so a stale page changes nothing.
    @Sendable func confirm(_ request: Request) async throws -> Response {
        // A wrong code keeps the code step open for another try.
        try await form(request, keepsCodeStepOnError: true) { session, fields in
            let enabled = try await twoStep.totp.isEnabled(uid: session.uid)
            guard fields["change"] == (enabled ? "off" : "on") else {
                throw FxAError(status: 409, errno: .auth(.invalidParameter), message: "This page was out of date. Try again.")
            }
            guard let code = SigninCode((fields["code"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw FxAError(status: 400, errno: .auth(.invalidParameter), message: "The code is the 6 digits in the email we sent.")
            }
            try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
            try await twoStep.redeemStepUpCode(code, for: .twoStep, session: session)
            if enabled {
                try await twoStep.disable(session: session)
                return .done("two_step_off")
            }
            _ = try await twoStep.startSetup(for: session, enrollment: .setup)
            return .done("two_step_scan")
        }
    }

    /// Turns it on with the app's first code for the pending secret, and
    /// shows the backup codes made with it. The page is the answer to the
    /// post, not a redirect: the codes exist in clear only in it. Posting
    /// it again changes nothing (it is on already).
    @Sendable func enable(_ request: Request) async throws -> Response {
        try await form(request) { session, fields in
            guard let code = AuthenticatorCode((fields["code"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw FxAError(status: 400, errno: .auth(.invalidParameter), message: "The code is the 6 digits your app shows.")
            }
            try await customs.check(.codeCheck, subject: session.uid.hex, ip: request.clientIP)
            try await twoStep.verifySetup(code, session: session)
            try await twoStep.completeSetup(session: session)
            return .showing(
                try await backupCodes.generate(for: session),
                notice: "Two-step authentication is on. Write down your backup codes now: they are shown only once.")
        }
    }

    /// A new set of backup codes, replacing the old one, shown once.
    @Sendable func newBackupCodes(_ request: Request) async throws -> Response {
        try await form(request) { session, _ in
            .showing(
                try await backupCodes.generate(for: session),
                notice: "Here are your new backup codes; the old ones no longer work. They are shown only once.")
        }
    }

    /// A form post: checked by the gate (CSRF, a session with the second
    /// factor when the account has one), then `change`, which names the
    /// notice to come back to `/settings` with. A refusal renders the page
    /// with its message; `keepsCodeStepOnError` keeps the emailed-code step
    /// open for another try.
    /// What a form did: a notice to come back to `/settings` with, or new
    /// backup codes to show on the page it answers with.
    enum Outcome {
        case done(String)
        case showing([String], notice: String)
    }

    private func form(
        _ request: Request, keepsCodeStepOnError: Bool = false,
        _ change: (SignedInSession, [String: String]) async throws -> Outcome
    ) async throws -> Response {
        let (current, fields): (WebSessions.Current, [String: String])
        switch try await gate.formPost(request) {
        case .signedOut: return gate.toSignin(request, next: WebPagePaths.settings)
        case .expired: return try await WebPageGate.expiredForm(request)
        case let .accepted(session, form): (current, fields) = (session, form)
        }
        let session = SignedInSession(token: current.token, account: current.account)
        let outcome: Outcome
        do {
            outcome = try await change(session, fields)
        } catch let error as FxAError where (400..<500).contains(error.status) {
            let stale = error.status == 409
            return try await settings.response(
                request, current, notice: Self.wording(of: error), status: HTTPResponseStatus(statusCode: error.status),
                askingTwoStepCode: keepsCodeStepOnError && !stale)
        }
        switch outcome {
        case .done(let done):
            // Back at the section, which is far down the page.
            return gate.redirect(request, to: WebPagePaths.settings + "?done=" + done + "#two-step")
        case .showing(let codes, let notice):
            let response = try await settings.response(request, current, notice: notice, newBackupCodes: codes)
            // Nothing may keep the page: not a cache, not the back button.
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
    }

    /// The API's messages for a wrong code, in words for the page.
    private static func wording(of error: FxAError) -> String {
        switch error.errno {
        case .auth(.invalidTokenVerificationCode): "That code did not match. Enter the code your app shows now."
        case .auth(.invalidExpiredOTPCode): "That code is wrong or has expired. Send a new code if you need one."
        default: error.message
        }
    }
}
