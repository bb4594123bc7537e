import FxACore
import FxAStore
import Foundation

/// The account flows of the onepw protocol: sign-up, sign-in, email
/// confirmation and deletion. Handlers validate input into typed values and
/// call these; everything here works on uids, never on raw strings.
struct AccountService: Sendable {
    let accounts: any AccountStore
    let tokens: any TokenStore
    let secondaryEmails: any SecondaryEmailStore
    let profiles: any ProfileStore
    /// Read at sign-in: an account with two-step authentication confirms
    /// each sign-in with a code from the app instead of an email.
    let totp: any TOTPStore
    let codes: EmailedCodes
    let credentials: CredentialVerifier
    let issuer: TokenIssuer
    let mailer: any Mailer
    let clock: any WallClock
    let policy: AccountPolicy

    /// Whether an account has this uid (`GET /account/status`).
    func exists(uid: AccountUID) async throws -> Bool {
        try await accounts.account(uid: uid) != nil
    }

    /// Whether any account proved this address, primary or secondary, so
    /// that the email-first page does not offer a sign-up that would be
    /// refused (errno 144).
    func exists(email: EmailAddress) async throws -> Bool {
        try await accounts.account(anyVerifiedEmail: email.normalized) != nil
    }

    /// Which stretching the client must use for the account, and the v2 salt.
    func credentialsStatus(email: EmailAddress) async throws -> CredentialsStatusResponse {
        guard let account = try await accounts.account(normalizedEmail: email.normalized) else {
            throw FxAError.unknownAccount()
        }
        return CredentialsStatusResponse(
            currentVersion: account.currentStretchVersion.label, clientSalt: account.v2?.clientSalt.rawValue,
            upgradeNeeded: account.v2 == nil)
    }

    /// The encrypted `kA || wrapKb`. The key-fetch token is single-use and
    /// only works once the account's email (and the sign-in) is confirmed;
    /// an unconfirmed token stays usable for after the confirmation.
    func keys(_ authenticated: AuthenticatedAccount) async throws -> KeyBundleResponse {
        let (token, account) = (authenticated.token, authenticated.account)
        guard account.emailVerified else { throw FxAError.unverifiedAccount() }
        guard token.stored.verified else { throw FxAError.unverifiedSession() }
        guard let redeemed = try await tokens.consume(idHash: token.idHash), let bundle = redeemed.sealedKeyBundle
        else { throw FxAError.invalidToken() }
        return KeyBundleResponse(bundle: bundle.hexString)
    }

    /// What the profile server reads about the account. The amr values say
    /// how this session was authenticated: the password, plus the email or
    /// the authenticator app that confirmed the sign-in.
    func profile(_ authenticated: AuthenticatedAccount) async throws -> AccountProfileResponse {
        let (session, account) = (authenticated.token, authenticated.account)
        guard let profile = try await profiles.profile(uid: session.uid) else { throw FxAError.invalidToken() }
        let changedAt = max(profile.changedAt, account.verifierSetAt)
        let assurance = SessionAssurance(verified: session.stored.verified, method: session.stored.verificationMethod)
        return AccountProfileResponse(
            email: account.primaryEmail, locale: account.locale, authenticationMethods: assurance.authenticationMethods,
            authenticatorAssuranceLevel: assurance.level, profileChangedAt: Int64(changedAt.timeIntervalSince1970 * 1000))
    }

    /// `GET /session/status`: the session's state, with the details FxA's
    /// current clients read (how it was confirmed, and whether that meets
    /// the account's two-step requirement).
    func sessionStatus(_ authenticated: AuthenticatedAccount) async throws -> SessionStatusResponse {
        let (session, account) = (authenticated.token.stored, authenticated.account)
        let assurance = SessionAssurance(verified: session.verified, method: session.verificationMethod)
        let requiredLevel = try await totp.isEnabled(uid: account.uid) ? 2 : 1
        return SessionStatusResponse(
            uid: account.uid.hex, state: session.verified ? "verified" : "unverified",
            details: .init(
                accountEmailVerified: account.emailVerified,
                sessionVerificationMethod: session.verified ? session.verificationMethod?.name : nil,
                sessionVerified: session.verified,
                sessionVerificationMeetsMinimumAAL: session.verified && assurance.level >= requiredLevel,
                verified: account.emailVerified && session.verified))
    }

    /// A key-fetch token under `session` for the password just typed (FxA's
    /// `/session/reauth?keys=true`): how a page that needs kB (making an
    /// account recovery key) gets it, having proven the password again.
    func keyFetchToken(authPW: Hex32, account: AccountRecord, session: StoredToken) async throws -> String {
        guard let email = EmailAddress(account.email) else { throw FxAError.unknownAccount() }
        let (version, wrapKb) = try await credentials.check(account: account, authPW: authPW, typedEmail: email)
        return try await issuer.issue(
            .keyFetchToken, uid: account.uid, verified: session.verified, stretchVersion: version,
            keys: (account.kA, wrapKb), parentIDHash: session.idHash).raw.hex
    }

    /// Signs the session out (`POST /session/destroy`).
    func destroySession(_ session: AuthenticatedToken) async throws {
        try await tokens.delete(idHash: session.idHash)
    }

    /// Creates the account, its first session and (with `wantKeys`) a
    /// key-fetch token, and emails the verification code. `locale` is the
    /// browser's language list, kept for the profile API.
    func create(_ request: CreateAccountRequest, wantKeys: Bool, locale: String? = nil) async throws -> SessionResponse {
        let email = request.email
        guard policy.signup.admits(normalizedEmail: email.normalized) else { throw FxAError.signupNotAllowed() }
        if try await accounts.account(normalizedEmail: email.normalized) != nil {
            throw FxAError.accountExists(email.value)
        }
        if try await secondaryEmails.isVerifiedSecondaryEmail(normalizedEmail: email.normalized) {
            throw FxAError.verifiedSecondaryEmailExists()
        }
        let v2Fields = try request.v2Fields()

        // Without a client-chosen wrapKb (v1 sign-up) kB is random.
        let wrapKb = request.wrapKb?.bytes ?? SecureRandom.bytes(32)
        let v1 = try await credentials.credentials(authPW: request.authPW, wrapKb: wrapKb)
        var v2: AccountRecord.CredentialsV2?
        if let v2Fields {
            v2 = .init(clientSalt: v2Fields.clientSalt, credentials: try await credentials.credentials(
                authPW: v2Fields.authPW, wrapKb: v2Fields.wrapKbVersion2.bytes))
        }
        let now = clock.now()
        let account = AccountRecord(
            uid: .random(), email: email.value, emailVerified: policy.autoVerify, kA: SecureRandom.bytes(32),
            v1: v1, v2: v2,
            createdAt: now, verifierSetAt: now, locale: locale)
        do {
            try await accounts.create(account)
        } catch FxAStoreError.conflict {
            throw FxAError.accountExists(email.value)
        }

        // The key-fetch token carries the wrapKb of the client's version.
        let version: KeyStretchVersion = v2Fields == nil ? .v1 : .v2
        let sessionWrapKb = v2Fields?.wrapKbVersion2.bytes ?? wrapKb
        let response = try await startSession(account: account, version: version, wrapKb: sessionWrapKb, wantKeys: wantKeys)
        if !account.emailVerified {
            try await sendSignupCode(to: account, kind: request.verificationMethod ?? .link)
        }
        return response
    }

    /// Checks the password and opens a session. A v2 account accepts both
    /// its v2 authPW and its v1 authPW; the key-fetch token then carries the
    /// wrapKb of the version that matched, so the client unwraps the same kB.
    func login(_ request: LoginRequest, wantKeys: Bool) async throws -> SessionResponse {
        // Sign-in names the primary address (typed, or sent back as
        // originalLoginEmail on the retry after errno 120), as FxA requires.
        let named = request.originalLoginEmail ?? request.email
        guard let account = try await accounts.account(normalizedEmail: named.normalized) else {
            if try await accounts.account(anyVerifiedEmail: named.normalized) != nil {
                throw FxAError.loginWithSecondaryEmail()
            }
            throw FxAError.unknownAccount()
        }
        // The address the password was stretched with must be one of this
        // account's own (its sign-up address, primary or a verified
        // secondary), or any address would do as a fresh rate-limit bucket.
        if request.email.normalized != account.normalizedEmail, request.email.normalized != EmailAddress.normalize(account.email) {
            let own = try await secondaryEmails.secondaryEmails(uid: account.uid)
            guard own.contains(where: { $0.verified && $0.normalizedEmail == request.email.normalized }) else {
                throw FxAError.unknownAccount()
            }
        }
        let (version, wrapKb) = try await credentials.check(account: account, authPW: request.authPW, typedEmail: request.email)
        if !account.emailVerified {
            try await sendSignupCode(to: account, kind: request.verificationMethod ?? .link)
            return try await startSession(account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys)
        }
        // The app's code replaces the emailed one: no mail is sent, and the
        // session stays unconfirmed until /session/verify/totp.
        if try await totp.isEnabled(uid: account.uid) {
            return try await startSession(
                account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys, confirmation: .authenticatorCode)
        }
        guard policy.confirmSignins else {
            return try await startSession(account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys)
        }
        let response = try await startSession(
            account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys, confirmation: .emailedCode)
        try await sendSigninCode(to: account)
        return response
    }

    /// Emails a 6-digit code that confirms a sign-in (`X-Signin-Verify-Code`).
    /// One code per account: a second sign-in before the first is confirmed
    /// replaces it, and the first asks for a resend.
    func sendSigninCode(to account: AccountRecord) async throws {
        let code = EmailedCodes.decimal(digits: 6)
        try await codes.store(Data(code.utf8), uid: account.uid, purpose: .signinConfirmation, lifetime: Self.signinCodeLifetime)
        try await mailer.send(AccountMails.signinCode(to: account.primaryEmail, uid: account.uid, code: code, at: clock.now()))
    }

    /// Confirms the session (and its key-fetch tokens) with the emailed
    /// 6-digit code: the sign-in code, or for an account whose email is not
    /// confirmed yet the short sign-up code, which confirms the email too
    /// (FxA's current sign-up). A session that is already verified needs
    /// nothing.
    func verifySigninCode(_ code: SigninCode, session authenticated: AuthenticatedAccount) async throws {
        let (session, account) = (authenticated.token, authenticated.account)
        if session.stored.verified { return }
        guard account.emailVerified else {
            try await codes.redeem(
                Data(code.value.utf8), uid: account.uid, purpose: .signupEmail, rejection: FxAError.invalidOTPCode())
            try await confirmEmail(uid: account.uid)
            return
        }
        // With two-step authentication no sign-in code is sent, and one
        // sent before it was turned on must not stand in for the app's.
        if try await totp.isEnabled(uid: account.uid) { throw FxAError.invalidOTPCode() }
        try await codes.redeem(
            Data(code.value.utf8), uid: session.uid, purpose: .signinConfirmation, rejection: FxAError.invalidOTPCode())
        try await tokens.markVerified(idHash: session.idHash, method: .emailCode)
    }

    /// Sends the code the session is waiting for again: the sign-up code
    /// while the email is unconfirmed, else a new sign-in code.
    func resendSessionCode(session authenticated: AuthenticatedAccount) async throws {
        let (session, account) = (authenticated.token, authenticated.account)
        guard !session.stored.verified else { return }
        if account.emailVerified {
            // The session waits for the app's code, not for mail (FxA sends none).
            if try await totp.isEnabled(uid: account.uid) { return }
            try await sendSigninCode(to: account)
        } else {
            // This route confirms with the session, so the code it sends
            // is the one a person types here (FxA sends the short one too).
            try await sendSignupCode(to: account, kind: .shortCode)
        }
    }

    /// How long a sign-in confirmation code is valid (FxA: 5 minutes to
    /// an hour depending on the flow; one hour here).
    static let signinCodeLifetime: TimeInterval = 3600

    /// Deletes the account after checking its password again, recording the
    /// `delete-user` event for relying parties in the same transaction.
    func destroy(_ request: DestroyAccountRequest, session: StoredToken) async throws {
        guard let account = try await accounts.account(anyVerifiedEmail: request.email.normalized),
              account.uid == session.uid
        else { throw FxAError.unknownAccount() }
        _ = try await credentials.check(account: account, authPW: request.authPW, typedEmail: request.email)
        // With two-step authentication on, the password alone (and the
        // session a sign-in gives before the app's code) may not delete it.
        if try await totp.isEnabled(uid: account.uid),
           SessionAssurance(verified: session.verified, method: session.verificationMethod).level < 2 {
            throw session.verified ? FxAError.insufficientAAL() : FxAError.unverifiedSession()
        }
        try await accounts.delete(
            uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: clock.now()))
    }

    /// Emails a fresh sign-up code of `kind`, replacing any earlier one of
    /// either kind. The short code lives an hour at most: six digits are
    /// fewer to guess than 32 hex characters, even with the attempts capped.
    func sendSignupCode(to account: AccountRecord, kind: SignupCodeKind = .link) async throws {
        let (stored, sent): (Data, String)
        var lifetime = policy.signupCodeLifetime
        switch kind {
        case .link:
            let code = Hex16Code.random()
            (stored, sent) = (code.bytes, code.hex)
        case .shortCode:
            let code = EmailedCodes.decimal(digits: 6)
            (stored, sent) = (Data(code.utf8), code)
            lifetime = min(lifetime, Self.signinCodeLifetime)
        }
        try await codes.store(stored, uid: account.uid, purpose: .signupEmail, lifetime: lifetime)
        try await mailer.send(AccountMails.verifyEmail(
            to: account.primaryEmail, uid: account.uid, code: sent, kind: kind, at: clock.now()))
    }

    /// Confirms the account's email with the emailed 32-hex code. Wrong
    /// codes count against the code, which is burnt after too many.
    func verifySignupCode(uid: AccountUID, code: Hex16Code) async throws {
        guard let account = try await accounts.account(uid: uid) else { throw FxAError.unknownAccount() }
        if account.emailVerified { return }
        try await codes.redeem(code.bytes, uid: uid, purpose: .signupEmail, rejection: FxAError.invalidVerificationCode())
        try await confirmEmail(uid: uid)
    }

    /// The account's email is confirmed: every session and key-fetch token
    /// of the account becomes verified with it.
    private func confirmEmail(uid: AccountUID) async throws {
        try await accounts.markEmailVerified(uid: uid)
        try await tokens.markAllVerified(uid: uid)
    }

    /// How a sign-in of a verified account must be confirmed.
    enum SigninConfirmation {
        /// With the 6-digit code emailed to the account (`email-otp`).
        case emailedCode
        /// With a code from the authenticator app (`totp-2fa`).
        case authenticatorCode

        /// The login response's `verificationMethod`.
        var verificationMethod: String {
            switch self {
            case .emailedCode: "email-otp"
            case .authenticatorCode: SessionVerificationMethod.totp.name
            }
        }
    }

    /// Issues a session (and with `wantKeys` a key-fetch token under it).
    /// It is verified when the account is, unless the sign-in must first be
    /// confirmed.
    func startSession(
        account: AccountRecord, version: KeyStretchVersion, wrapKb: Data, wantKeys: Bool,
        confirmation: SigninConfirmation? = nil
    ) async throws -> SessionResponse {
        let verified = account.emailVerified && confirmation == nil
        let session = try await issuer.issue(.sessionToken, uid: account.uid, verified: verified)
        var response = SessionResponse(
            uid: account.uid.hex, sessionToken: session.raw.hex, authAt: Int64(clock.now().timeIntervalSince1970),
            verified: verified, verificationMethod: verified ? nil : (confirmation?.verificationMethod ?? "email"),
            verificationReason: verified ? nil : (confirmation == nil ? "signup" : "login"))
        if wantKeys {
            let keyFetch = try await issuer.issue(
                .keyFetchToken, uid: account.uid, verified: verified, stretchVersion: version,
                keys: (account.kA, wrapKb), parentIDHash: TokenHash(of: session.derived.id))
            switch version {
            case .v1: response.keyFetchToken = keyFetch.raw.hex
            case .v2: response.keyFetchTokenVersion2 = keyFetch.raw.hex
            }
        }
        return response
    }
}
