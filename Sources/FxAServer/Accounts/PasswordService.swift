import FxACore
import FxAStore
import Foundation

/// Password change (the client knows the old password, so kB is kept) and
/// password reset by emailed one-time code (it does not, so kB is replaced,
/// as in FxA). Both end every existing session and the OAuth grants that
/// ``CredentialReplacement`` names (a change: public clients' tokens; a
/// reset: all), and record a `password-change` event for relying parties,
/// in the same transaction.
struct PasswordService: Sendable {
    let accounts: any AccountStore
    let tokens: any TokenStore
    /// Checks the account recovery key a reset names.
    let recoveryKeys: RecoveryKeyService
    /// With two-step authentication on, a change needs a session that gave
    /// the second factor: the old password alone would otherwise read kB.
    let totp: any TOTPStore
    let codes: EmailedCodes
    let credentials: CredentialVerifier
    let issuer: TokenIssuer
    let mailer: any Mailer
    let clock: any WallClock
    let policy: AccountPolicy

    /// How long the forgot-password OTP is valid.
    static let otpLifetime: TimeInterval = 10 * 60
    /// How long the passwordForgotToken and its confirmation code live.
    static let forgotTokenLifetime: TimeInterval = TokenAuthenticator.lifetime(of: .passwordForgotToken) ?? 3600

    /// Checks the old password and hands out a password-change token plus
    /// a key-fetch token for the version that matched, so the client can
    /// read kB and wrap it under the new password.
    func startChange(_ request: PasswordChangeStartRequest, session: StoredToken?) async throws -> PasswordChangeStartResponse {
        guard let account = try await accounts.account(anyVerifiedEmail: request.email.normalized) else {
            throw FxAError.unknownAccount()
        }
        if let session {
            guard session.uid == account.uid else { throw FxAError.invalidToken() }
            guard session.verified else { throw FxAError.unverifiedSession() }
        }
        guard account.emailVerified else { throw FxAError.unverifiedAccount() }
        let (version, wrapKb) = try await credentials.check(account: account, authPW: request.oldAuthPW, typedEmail: request.email)
        // The key-fetch token below reads kB with the old password alone:
        // with two-step authentication on, only a session that gave the
        // second factor may start a change (errno 222), never a bare
        // password (PyFxA 0.8's flow without a session). Checked after the
        // password, so the answer tells nobody without it whether it is on.
        if try await totp.isEnabled(uid: account.uid) {
            let assurance = session.map { SessionAssurance(verified: $0.verified, method: $0.verificationMethod) }
            guard let assurance, assurance.level >= 2 else { throw FxAError.insufficientAAL() }
        }
        let change = try await issuer.issue(
            .passwordChangeToken, uid: account.uid, verified: true, stretchVersion: version,
            parentIDHash: session?.idHash)
        let keyFetch = try await issuer.issue(
            .keyFetchToken, uid: account.uid, verified: true, stretchVersion: version, keys: (account.kA, wrapKb))
        return PasswordChangeStartResponse(
            passwordChangeToken: change.raw.hex,
            keyFetchToken: version == .v1 ? keyFetch.raw.hex : nil,
            keyFetchToken2: version == .v2 ? keyFetch.raw.hex : nil)
    }

    /// Stores the new credentials, ends every session of the account and
    /// the OAuth grants a change ends (``CredentialReplacement/change``), and
    /// answers with a replacement session (verified if the session named in
    /// the body, or else the one that started the change, was). A change
    /// without v2 fields drops the old v2 credentials, which would otherwise
    /// still accept the old password.
    /// The change token is redeemed first, so two concurrent finishes
    /// cannot both succeed.
    func finishChange(
        _ request: PasswordChangeFinishRequest, token: AuthenticatedToken, wantKeys: Bool
    ) async throws -> PasswordChangeFinishResponse {
        let v2Fields = try request.v2Fields()
        guard let changeToken = try await tokens.consume(idHash: token.idHash),
              let account = try await accounts.account(uid: token.uid)
        else { throw FxAError.invalidToken() }
        let v1 = try await credentials.credentials(authPW: request.authPW, wrapKb: request.wrapKb.bytes)
        var v2: AccountRecord.CredentialsV2?
        if let v2Fields {
            v2 = .init(clientSalt: v2Fields.clientSalt, credentials: try await credentials.credentials(
                authPW: v2Fields.authPW, wrapKb: v2Fields.wrapKb.bytes))
        }
        // Without a session (PyFxA 0.8's flow) the old password is the only
        // proof; when sign-ins must be confirmed by email, that is not enough
        // for a verified session.
        var sessionVerified = account.emailVerified && !policy.confirmSignins
        var verificationMethod: SessionVerificationMethod?
        // The session to carry over: the one the body names, else the one
        // that started the change (the settings page cannot name its
        // session: the token stays behind an HttpOnly cookie).
        if let previousIDHash = request.sessionToken.map({ TokenHash(of: $0.bytes) }) ?? changeToken.parentIDHash {
            let previous = try await tokens.token(idHash: previousIDHash)
            sessionVerified = previous.map { $0.uid == account.uid && $0.kind == .sessionToken && $0.verified } ?? false
            // The new session carries what the old one proved (a second
            // factor stays given), as FxA copies the token's state.
            if sessionVerified { verificationMethod = previous?.verificationMethod }
        }
        // Two-step authentication turned on since the change started: the
        // new session must give the second factor like any other sign-in.
        if try await totp.isEnabled(uid: account.uid),
           SessionAssurance(verified: sessionVerified, method: verificationMethod).level < 2 {
            sessionVerified = false
            verificationMethod = nil
        }

        let now = clock.now()
        try await accounts.replaceCredentials(
            uid: account.uid, v1: v1, v2: v2, .change, at: now,
            recording: passwordChangeEvent(account.uid, at: now))

        let session = try await issuer.issue(
            .sessionToken, uid: account.uid, verified: sessionVerified, verificationMethod: verificationMethod)
        var response = PasswordChangeFinishResponse(
            uid: account.uid.hex, sessionToken: session.raw.hex, verified: sessionVerified,
            authAt: Int64(now.timeIntervalSince1970))
        if wantKeys {
            let parent = TokenHash(of: session.derived.id)
            response.keyFetchToken = try await issuer.issue(
                .keyFetchToken, uid: account.uid, verified: sessionVerified, stretchVersion: .v1,
                keys: (account.kA, request.wrapKb.bytes), parentIDHash: parent).raw.hex
            if let v2Fields {
                response.keyFetchToken2 = try await issuer.issue(
                    .keyFetchToken, uid: account.uid, verified: sessionVerified, stretchVersion: .v2,
                    keys: (account.kA, v2Fields.wrapKb.bytes), parentIDHash: parent).raw.hex
            }
        }
        return response
    }

    /// Emails an 8-digit one-time code to a verified account.
    func sendForgotOTP(_ request: ForgotSendRequest) async throws {
        guard let account = try await accounts.account(normalizedEmail: request.email.normalized) else {
            throw FxAError.unknownAccount()
        }
        // FxA sends nothing to an unconfirmed address: the reset would prove
        // ownership of an email that was never proven.
        guard account.emailVerified else { return }
        let otp = EmailedCodes.decimal(digits: 8)
        try await codes.store(Data(otp.utf8), uid: account.uid, purpose: .passwordForgot, lifetime: Self.otpLifetime)
        try await mailer.send(AccountMails.passwordForgotOTP(to: account.primaryEmail, uid: account.uid, code: otp, at: clock.now()))
    }

    /// Exchanges the emailed OTP for a password-forgot token and a
    /// server-issued code that `verifyForgotCode` takes.
    func verifyForgotOTP(_ request: ForgotVerifyOTPRequest) async throws -> ForgotVerifyOTPResponse {
        guard let account = try await accounts.account(normalizedEmail: request.email.normalized) else {
            throw FxAError.unknownAccount()
        }
        try await codes.redeem(
            Data(request.code.utf8), uid: account.uid, purpose: .passwordForgot, rejection: FxAError.invalidOTPCode())
        let token = try await issuer.issue(.passwordForgotToken, uid: account.uid, verified: true)
        let code = Hex16Code.random()
        try await codes.store(
            code.bytes, uid: account.uid, purpose: .passwordResetConfirmation, lifetime: Self.forgotTokenLifetime)
        return ForgotVerifyOTPResponse(token: token.raw.hex, code: code.hex, uid: account.uid.hex, emailToHashWith: account.email)
    }

    /// Exchanges the password-forgot token and its code for an account-reset token.
    func verifyForgotCode(_ request: ForgotVerifyCodeRequest, token: AuthenticatedToken) async throws -> AccountResetTokenResponse {
        try await codes.redeem(
            request.code.bytes, uid: token.uid, purpose: .passwordResetConfirmation,
            rejection: FxAError.invalidVerificationCode())
        try await tokens.delete(idHash: token.idHash)
        // The second factor given with the forgot token (`/totp/verify`)
        // goes on to the reset token, which `reset` checks.
        let reset = try await issuer.issue(
            .accountResetToken, uid: token.uid, verified: true, verificationMethod: token.stored.verificationMethod)
        return AccountResetTokenResponse(accountResetToken: reset.raw.hex)
    }

    /// The older forgot-password flow (PyFxA 0.8, older Firefox): the
    /// passwordForgotToken comes first and the emailed code
    /// (`X-Recovery-Code`) is what `verify_code` later takes with it.
    func sendForgotCodeLegacy(_ request: ForgotSendRequest) async throws -> LegacyForgotCodeResponse {
        guard let account = try await accounts.account(normalizedEmail: request.email.normalized) else {
            throw FxAError.unknownAccount()
        }
        guard account.emailVerified else { throw FxAError.unverifiedAccount() }
        // Unverified until its emailed code comes back: the token is handed
        // to whoever typed the address, so it proves nothing yet.
        let token = try await issuer.issue(.passwordForgotToken, uid: account.uid, verified: false)
        var response = try await sendRecoveryCode(to: account)
        response.passwordForgotToken = token.raw.hex
        return response
    }

    /// Emails a new recovery code for the flow the token started.
    func resendForgotCodeLegacy(token: AuthenticatedToken) async throws -> LegacyForgotCodeResponse {
        guard let account = try await accounts.account(uid: token.uid) else { throw FxAError.invalidToken() }
        return try await sendRecoveryCode(to: account)
    }

    /// Seconds and guesses left for the flow's code.
    func forgotStatusLegacy(token: AuthenticatedToken) async throws -> LegacyForgotStatusResponse {
        let left = try await codes.remaining(uid: token.uid, purpose: .passwordResetConfirmation)
        return LegacyForgotStatusResponse(tries: left.guesses, ttl: Int(left.seconds))
    }

    private func sendRecoveryCode(to account: AccountRecord) async throws -> LegacyForgotCodeResponse {
        let code = Hex16Code.random()
        try await codes.store(
            code.bytes, uid: account.uid, purpose: .passwordResetConfirmation, lifetime: Self.forgotTokenLifetime)
        try await mailer.send(AccountMails.recoveryCode(to: account.primaryEmail, uid: account.uid, code: code.hex, at: clock.now()))
        return LegacyForgotCodeResponse(
            ttl: Int(Self.forgotTokenLifetime), codeLength: code.hex.count, tries: policy.maxCodeAttempts)
    }

    /// Sets a new password without the old one. kB cannot be recovered, so
    /// it is replaced: by the client's new `wrapKb` (v2 body, where the
    /// client chose the new kB) or by random bytes; kA is replaced too.
    /// With the account recovery key (`recoveryKeyId`), the client opened
    /// kB with it and `wrapKb` wraps that same kB: the keys are kept, and
    /// the key is spent.
    ///
    /// On an account with two-step authentication on, the reset needs the
    /// second factor too: a code from the app or a backup code given with
    /// the forgot token, or the recovery key, which FxA counts as one (the
    /// email alone would otherwise take over the account).
    ///
    /// - Throws: 158/159 for a recovery key that is not the account's, 108
    ///   when one is named without `wrapKb`, 138 on a two-step account
    ///   without the second factor.
    func reset(_ request: AccountResetRequest, token: AuthenticatedToken, wantKeys: Bool) async throws -> AccountResetResponse {
        let v2Fields = try request.v2Fields()
        let wantSession = request.sessionToken ?? false
        if wantKeys, !wantSession { throw FxAError.missingParameter("sessionToken") }
        let twoStep = try await totp.isEnabled(uid: token.uid)
        if request.recoveryKeyId == nil, twoStep,
           SessionAssurance(verified: true, method: token.stored.verificationMethod).level < 2 {
            throw FxAError.unverifiedSession()
        }
        let keptWrapKb: Data?
        let replacement: CredentialReplacement
        if let keyID = request.recoveryKeyId {
            guard let wrapKb = request.wrapKb else { throw FxAError.missingParameter("wrapKb") }
            let key = try await recoveryKeys.usableKey(keyID, uid: token.uid)
            keptWrapKb = wrapKb.bytes
            replacement = .recoveredReset(keyIDHash: key.idHash)
        } else {
            keptWrapKb = nil
            replacement = .reset(kA: SecureRandom.bytes(32))
        }
        guard try await tokens.consume(idHash: token.idHash) != nil,
              let account = try await accounts.account(uid: token.uid)
        else { throw FxAError.invalidToken() }
        let wrapKb = keptWrapKb ?? v2Fields?.wrapKb.bytes ?? SecureRandom.bytes(32)
        let v1 = try await credentials.credentials(authPW: request.authPW, wrapKb: wrapKb)
        var v2: AccountRecord.CredentialsV2?
        if let v2Fields {
            v2 = .init(clientSalt: v2Fields.clientSalt, credentials: try await credentials.credentials(
                authPW: v2Fields.authPW, wrapKb: v2Fields.wrapKbVersion2.bytes))
        }
        let now = clock.now()
        do {
            try await accounts.replaceCredentials(
                uid: token.uid, v1: v1, v2: v2, replacement, at: now, recording: passwordChangeEvent(token.uid, at: now))
        } catch FxAStoreError.notFound where keptWrapKb != nil {
            // The key was replaced or removed while this reset ran.
            throw FxAError.recoveryKeyNotFound()
        }
        if keptWrapKb != nil {
            try await mailer.send(AccountMails.passwordResetWithRecoveryKey(to: account.primaryEmail, uid: account.uid, at: now))
        }
        guard wantSession else { return AccountResetResponse() }
        // The reset proved the email and, on a two-step account, the second
        // factor (the recovery key counts as one, as in FxA): the new
        // session is as verified as that.
        let method: SessionVerificationMethod? = token.stored.verificationMethod ?? (twoStep && keptWrapKb != nil ? .totp : nil)
        let session = try await issuer.issue(.sessionToken, uid: token.uid, verified: true, verificationMethod: method)
        var response = AccountResetResponse(
            uid: token.uid.hex, sessionToken: session.raw.hex, authAt: Int64(now.timeIntervalSince1970), verified: true)
        if wantKeys, let reset = try await accounts.account(uid: token.uid) {
            let parent = TokenHash(of: session.derived.id)
            response.keyFetchToken = try await issuer.issue(
                .keyFetchToken, uid: token.uid, verified: true, stretchVersion: .v1, keys: (reset.kA, wrapKb),
                parentIDHash: parent).raw.hex
            if let v2Fields {
                response.keyFetchTokenVersion2 = try await issuer.issue(
                    .keyFetchToken, uid: token.uid, verified: true, stretchVersion: .v2,
                    keys: (reset.kA, v2Fields.wrapKbVersion2.bytes), parentIDHash: parent).raw.hex
            }
        }
        return response
    }

    private func passwordChangeEvent(_ uid: AccountUID, at date: Date) -> OutboxEvent {
        OutboxEvent(
            uid: uid, kind: .passwordChange,
            payload: ["changeTime": .int(Int(date.timeIntervalSince1970 * 1000))], occurredAt: date)
    }
}
