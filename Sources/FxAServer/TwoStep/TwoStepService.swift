import FxACore
import FxAStore
import Foundation

/// Two-step authentication with an authenticator app (TOTP): the step-up
/// code that authorizes changing it, its setup in either of FxA's two API
/// generations, turning it off, and the code that confirms a sign-in.
///
/// A code is accepted within one step of the server's clock and only once:
/// each accepted step is recorded, and that code and every older one are
/// refused from then on (FxA accepts a code again within its window; the
/// RFC says not to).
struct TwoStepService: Sendable {
    let totp: any TOTPStore
    /// Emptied when two-step authentication is turned off: backup codes
    /// belong to the app they stand in for.
    let recoveryCodes: any RecoveryCodeStore
    let tokens: any TokenStore
    let codes: EmailedCodes
    let mfaTokens: MFATokens
    let mailer: any Mailer
    let clock: any WallClock
    /// The one verified-session rule every security change meets.
    let sessionRule: VerifiedSessionRule
    /// The name apps show beside the code: the server's host.
    let issuerName: String

    /// How long a pending setup waits for its first code (FxA: an hour).
    static let pendingLifetime: TimeInterval = 3600
    /// Bytes of a new secret: 160 bits, RFC 4226's recommendation, 32
    /// base32 characters as FxA's secrets are.
    static let secretLength = 20
    /// How long the emailed step-up code works (FxA: 5 minutes).
    static let stepUpCodeLifetime: TimeInterval = 300

    // MARK: Step-up

    /// Emails a 6-digit code that `verifyStepUpCode` exchanges for an MFA
    /// token for `action`, bound to this session.
    func sendStepUpCode(for action: MFAAction, session: SignedInSession) async throws {
        let code = EmailedCodes.decimal(digits: 6)
        try await codes.store(
            Self.boundCode(code, session: session.token.idHash, action: action), uid: session.uid,
            purpose: .accountChange, lifetime: Self.stepUpCodeLifetime)
        try await mailer.send(AccountMails.accountChangeCode(
            to: session.account.primaryEmail, uid: session.uid, code: code, at: clock.now()))
    }

    /// The MFA token for `action`, when `code` is the one emailed to this
    /// session for it.
    ///
    /// - Throws: errno 183 for a wrong, expired or used code, or one sent to
    ///   another session or for another action.
    func verifyStepUpCode(_ code: SigninCode, for action: MFAAction, session: SignedInSession) async throws -> String {
        try await redeemStepUpCode(code, for: action, session: session)
        return try await mfaTokens.issue(uid: session.uid, session: session.token.idHash, action: action)
    }

    /// Spends the step-up code emailed to this session for `action`: the
    /// settings page's proof, which acts at once and needs no MFA token.
    ///
    /// - Throws: errno 183 as ``verifyStepUpCode(_:for:session:)``.
    func redeemStepUpCode(_ code: SigninCode, for action: MFAAction, session: SignedInSession) async throws {
        try await codes.redeem(
            Self.boundCode(code.value, session: session.token.idHash, action: action), uid: session.uid,
            purpose: .accountChange, rejection: FxAError.invalidMFACode())
    }

    /// What is stored for a step-up code: the code with its session and
    /// action, so it redeems only for both.
    private static func boundCode(_ code: String, session: TokenHash, action: MFAAction) -> Data {
        Data("\(code) \(session.hex) \(action.rawValue)".utf8)
    }

    // MARK: Setup

    /// A new secret for the account, or the pending one again while its
    /// setup is under way (PyFxA's test creates twice and expects one
    /// secret) for `.setup`; always a new one for `.firstCode`, as FxA's
    /// old API did.
    ///
    /// - Throws: errno 154 when the account already has one enabled.
    func startSetup(for session: SignedInSession, enrollment: TOTPEnrollment) async throws -> TOTPSecretResponse {
        let account = session.account
        let now = clock.now()
        if let existing = try await totp.totp(uid: account.uid) {
            if existing.isEnabled { throw FxAError.totpAlreadyEnabled() }
            // Shown again only to the session that began it.
            if enrollment == .setup, existing.enrollment == .setup, isLive(existing),
               existing.setupSessionHash == session.token.idHash {
                return secretResponse(existing.secret, account: account)
            }
        }
        let record = TOTPRecord(
            uid: account.uid, secret: Data(SecureRandom.bytes(Self.secretLength)), enrollment: enrollment, createdAt: now,
            setupSessionHash: session.token.idHash)
        guard try await totp.savePending(record) else { throw FxAError.totpAlreadyEnabled() }
        return secretResponse(record.secret, account: account)
    }

    /// Where the account's two-step authentication stands for this
    /// session, from one read: on, off, or this session's live setup of
    /// today's API (shown again until finished, as `create` answers it).
    enum State {
        case off
        case on
        case settingUp(TOTPSecretResponse)
    }

    func state(for session: SignedInSession) async throws -> State {
        guard let record = try await totp.totp(uid: session.uid) else { return .off }
        if record.isEnabled { return .on }
        guard record.enrollment == .setup, isLive(record), record.setupSessionHash == session.token.idHash else { return .off }
        return .settingUp(secretResponse(record.secret, account: session.account))
    }

    /// Checks a code of the pending secret (`setup/verify`).
    ///
    /// - Throws: errno 155 without a pending setup, 152 for a wrong code.
    func verifySetup(_ code: AuthenticatorCode, session: SignedInSession) async throws {
        let account = session.account
        let pending = try await pendingSetup(of: session)
        let now = clock.now()
        guard let step = TOTP(secret: Array(pending.secret)).matchingStep(of: code.value, at: now, usedThrough: pending.lastUsedStep),
              try await totp.markSetupVerified(uid: account.uid, secret: pending.secret, step: step, at: now)
        else { throw FxAError.invalidTOTPCode() }
    }

    /// Turns the checked pending secret on (`setup/complete`): the session
    /// that did it becomes a two-step session, relying parties hear of a
    /// profile change, and the user gets an email.
    ///
    /// - Throws: errno 155 without a pending setup, 152 when its code was
    ///   not checked first.
    func completeSetup(session: SignedInSession) async throws {
        let pending = try await pendingSetup(of: session)
        guard pending.setupVerifiedAt != nil else { throw FxAError.invalidTOTPCode() }
        try await enable(pending, session: session, usedStep: nil)
    }

    /// Turns two-step authentication off. Every session of the account is
    /// left verified by email only (FxA downgrades the one that did it), so
    /// none counts as having given the code of a secret turned on later.
    func disable(session: SignedInSession) async throws {
        let now = clock.now()
        let wasEnabled = try await totp.delete(
            uid: session.uid, recording: OutboxEvent(uid: session.uid, kind: .profileChange, occurredAt: now))
        try await recoveryCodes.deleteAll(uid: session.uid)
        guard wasEnabled else { return }
        try await tokens.forgetSecondFactor(uid: session.uid)
        try await mailer.send(AccountMails.twoStepDisabled(to: session.account.primaryEmail, uid: session.uid, at: now))
    }

    /// `GET /totp/exists`: an enabled secret exists and is verified; a
    /// pending one of the old API exists unverified (PyFxA 0.8.2 checks
    /// so); a pending setup of the new API does not exist yet (0.9 checks so).
    func existence(uid: AccountUID) async throws -> TOTPExistsResponse {
        guard let record = try await totp.totp(uid: uid) else { return TOTPExistsResponse(exists: false, verified: false) }
        if record.isEnabled { return TOTPExistsResponse(exists: true, verified: true) }
        return TOTPExistsResponse(exists: record.enrollment == .firstCode && isLive(record), verified: false)
    }

    /// FxA's verified session: the account's email confirmed (errno 104),
    /// the sign-in confirmed (138), and with the second factor when the
    /// account has one (222): a session from before two-step authentication
    /// was turned on must give a code before it may change the account.
    func requireVerified(_ session: SignedInSession) async throws {
        try await sessionRule.check(session.token, account: session.account)
    }

    // MARK: Sign-in

    /// `POST /session/verify/totp`: a code from the app confirms the
    /// session as a two-step session. A wrong code is `false`, not an error
    /// (FxA answers `{"success": false}`). The first code of an old-API
    /// pending secret also turns it on, as that API did.
    ///
    /// - Throws: errno 155 when the account has no secret to check against.
    func verifySession(_ code: AuthenticatorCode, session: SignedInSession) async throws -> Bool {
        guard let record = try await totp.totp(uid: session.uid), record.isEnabled || record.enrollment == .firstCode,
              record.isEnabled || isLive(record)
        else { throw FxAError.totpNotFound() }
        if record.isEnabled {
            guard try await spendCode(code, of: record, account: session.account) else { return false }
            try await tokens.markVerified(idHash: session.token.idHash, method: .totp)
            return true
        }
        guard let step = TOTP(secret: Array(record.secret)).matchingStep(of: code.value, at: clock.now(), usedThrough: record.lastUsedStep)
        else { return false }
        try await enable(record, session: session, usedStep: step)
        return true
    }

    /// `POST /totp/verify`, in a password reset: a code from the app marks
    /// the password-forgot token, and so the account-reset token made from
    /// it, as having given the second factor, which `/account/reset` needs
    /// on an account with it on. A wrong code, or an account without it,
    /// is `false`, as FxA answers.
    func verifyReset(_ code: AuthenticatorCode, account: AccountRecord, forgotToken: TokenHash) async throws -> Bool {
        guard let record = try await totp.totp(uid: account.uid), record.isEnabled,
              try await spendCode(code, of: record, account: account)
        else { return false }
        try await tokens.markVerified(idHash: forgotToken, method: .totp)
        return true
    }

    /// Checks a code of the enabled secret and spends it: `false` for a
    /// wrong or reused code, which counts towards ``TOTPLockout``.
    ///
    /// - Throws: errno 114 with the seconds left while the checks are
    ///   locked; the code is not looked at.
    func spendCode(_ code: AuthenticatorCode, of record: TOTPRecord, account: AccountRecord) async throws -> Bool {
        let now = clock.now()
        // The attempt is counted (and a lock set) before the code is looked
        // at, in one statement: concurrent guesses each take a count, and
        // none gets past a lock that another one set.
        guard let attempts = try await totp.reserveCodeAttempt(
            uid: account.uid, at: now, lockEvery: TOTPLockout.failuresPerLock, lockEnds: TOTPLockout.lockEnds(from: now))
        else {
            let lockedUntil = try await totp.totp(uid: account.uid)?.lockedUntil ?? now
            throw FxAError.throttled(retryAfter: Int(max(1, lockedUntil.timeIntervalSince(now)).rounded(.up)))
        }
        if let step = TOTP(secret: Array(record.secret)).matchingStep(of: code.value, at: now, usedThrough: record.lastUsedStep),
           try await totp.spend(uid: account.uid, step: step, at: now) {
            return true
        }
        if let duration = TOTPLockout.lockDuration(afterFailures: attempts) {
            try await mailer.send(AccountMails.twoStepLocked(
                to: account.primaryEmail, uid: account.uid, failures: attempts, minutes: Int(duration / 60), at: now))
        }
        return false
    }

    // MARK: Helpers

    private func enable(_ pending: TOTPRecord, session: SignedInSession, usedStep: Int64?) async throws {
        let now = clock.now()
        guard try await totp.enable(
            uid: session.uid, secret: pending.secret, at: now, usedStep: usedStep,
            recording: OutboxEvent(uid: session.uid, kind: .profileChange, occurredAt: now))
        else { throw FxAError.totpNotFound() }
        try await tokens.markVerified(idHash: session.token.idHash, method: .totp)
        try await mailer.send(AccountMails.twoStepEnabled(to: session.account.primaryEmail, uid: session.uid, at: now))
    }

    /// The live pending setup the session began (errno 155 otherwise).
    private func pendingSetup(of session: SignedInSession) async throws -> TOTPRecord {
        guard let record = try await totp.totp(uid: session.uid), !record.isEnabled, isLive(record),
              record.setupSessionHash == session.token.idHash
        else { throw FxAError.totpNotFound() }
        return record
    }

    private func isLive(_ pending: TOTPRecord) -> Bool {
        clock.now().timeIntervalSince(pending.createdAt) < Self.pendingLifetime
    }

    private func secretResponse(_ secret: Data, account: AccountRecord) -> TOTPSecretResponse {
        let encoded = Base32.encode(secret)
        return TOTPSecretResponse(secret: encoded, qrCodeUrl: Self.otpauthURI(secret: encoded, email: account.primaryEmail, issuer: issuerName))
    }

    /// `otpauth://totp/<issuer>:<email>?secret=…&issuer=<issuer>`, the form
    /// FxA uses and apps read (SHA-1, 6 digits and 30 s are the defaults
    /// apps assume, so they are left out as FxA leaves them out).
    static func otpauthURI(secret: String, email: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return "otpauth://totp/\(encode(issuer)):\(encode(email))?secret=\(secret)&issuer=\(encode(issuer))"
    }
}
