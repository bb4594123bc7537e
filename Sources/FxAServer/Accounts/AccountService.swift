import Crypto
import FxACore
import FxAStore
import Foundation

/// The account flows of the onepw protocol: sign-up, sign-in, email
/// confirmation and deletion. Handlers validate input into typed values and
/// call these; everything here works on uids, never on raw strings.
struct AccountService: Sendable {
    let stores: Stores
    let hasher: PasswordHasher
    let issuer: TokenIssuer
    let mailer: any Mailer
    let clock: any WallClock
    let policy: AccountPolicy

    /// Creates the account, its first session and (with `wantKeys`) a
    /// key-fetch token, and emails the verification code.
    func create(_ request: CreateAccountRequest, wantKeys: Bool) async throws -> SessionResponse {
        let email = request.email
        if try await stores.accounts.account(normalizedEmail: email.normalized) != nil {
            throw FxAError.accountExists(email.value)
        }
        let v2Fields = try request.v2Fields()

        let authSalt = SecureRandom.bytes(32)
        let verifier = try await hasher.verifier(authPW: request.authPW, authSalt: authSalt)
        // Without a client-chosen wrapKb (v1 sign-up), kB is random: the
        // stored wrapWrapKb is random and the client's wrapKb follows from it.
        let wrapWrapKb = request.wrapKb.map { $0.bytes.xor(verifier.wrapWrapKey) } ?? SecureRandom.bytes(32)
        var v2: AccountRecord.CredentialsV2?
        if let v2Fields {
            let saltV2 = SecureRandom.bytes(32)
            let verifierV2 = try await hasher.verifier(authPW: v2Fields.authPW, authSalt: saltV2)
            v2 = .init(clientSalt: v2Fields.clientSalt, credentials: .init(
                authSalt: saltV2, verifyHash: verifierV2.verifyHash,
                wrapWrapKb: v2Fields.wrapKbVersion2.bytes.xor(verifierV2.wrapWrapKey)))
        }
        let now = clock.now()
        let account = AccountRecord(
            uid: .random(), email: email.value, emailVerified: policy.autoVerify, kA: SecureRandom.bytes(32),
            v1: .init(authSalt: authSalt, verifyHash: verifier.verifyHash, wrapWrapKb: wrapWrapKb), v2: v2,
            createdAt: now, verifierSetAt: now)
        do {
            try await stores.accounts.create(account)
        } catch FxAStoreError.conflict {
            throw FxAError.accountExists(email.value)
        }

        let version: KeyStretchVersion = v2 == nil ? .v1 : .v2
        // The key-fetch token carries the wrapKb of the client's version.
        let wrapKb = v2Fields?.wrapKbVersion2.bytes ?? wrapWrapKb.xor(verifier.wrapWrapKey)
        let response = try await startSession(account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys)
        if !account.emailVerified {
            try await sendSignupCode(to: account)
        }
        return response
    }

    /// Checks the password and opens a session. A v2 account accepts both
    /// its v2 authPW and its v1 authPW; the key-fetch token then carries the
    /// wrapKb of the version that matched, so the client unwraps the same kB.
    func login(_ request: LoginRequest, wantKeys: Bool) async throws -> SessionResponse {
        guard let account = try await stores.accounts.account(normalizedEmail: request.email.normalized) else {
            throw FxAError.unknownAccount()
        }
        let (version, wrapKb) = try await checkPassword(account: account, authPW: request.authPW, typedEmail: request.email)
        if !account.emailVerified {
            try await sendSignupCode(to: account)
        }
        return try await startSession(account: account, version: version, wrapKb: wrapKb, wantKeys: wantKeys)
    }

    /// Deletes the account after checking its password again, recording the
    /// `delete-user` event for relying parties in the same transaction.
    func destroy(_ request: DestroyAccountRequest, session: AuthenticatedToken) async throws {
        guard let account = try await stores.accounts.account(normalizedEmail: request.email.normalized),
              account.uid == session.uid
        else { throw FxAError.unknownAccount() }
        _ = try await checkPassword(account: account, authPW: request.authPW, typedEmail: request.email)
        try await stores.accounts.delete(
            uid: account.uid, recording: OutboxEvent(uid: account.uid, kind: .deleteUser, occurredAt: clock.now()))
    }

    /// Emails a fresh sign-up code, replacing any earlier one.
    func sendSignupCode(to account: AccountRecord) async throws {
        let code = Hex16Code.random()
        let now = clock.now()
        try await stores.codes.put(StoredCode(
            uid: account.uid, purpose: .signupEmail, codeHash: Self.hash(code.bytes),
            expiresAt: now.addingTimeInterval(policy.signupCodeLifetime)))
        try await mailer.send(AccountMails.verifyEmail(to: account.email, uid: account.uid, code: code.hex, at: now))
    }

    /// Confirms the account's email with the emailed code; every session
    /// and key-fetch token of the account becomes verified with it. Wrong
    /// codes count against the code, which is burnt after too many.
    func verifySignupCode(uid: AccountUID, code: Hex16Code) async throws {
        guard let account = try await stores.accounts.account(uid: uid) else { throw FxAError.unknownAccount() }
        if account.emailVerified { return }
        guard let stored = try await stores.codes.code(uid: uid, purpose: .signupEmail),
              stored.expiresAt > clock.now(), stored.failedAttempts < policy.maxCodeAttempts
        else { throw FxAError.invalidVerificationCode() }
        guard Self.hash(code.bytes).constantTimeEquals(stored.codeHash) else {
            let attempts = try await stores.codes.recordFailedAttempt(uid: uid, purpose: .signupEmail)
            if attempts >= policy.maxCodeAttempts {
                try await stores.codes.delete(uid: uid, purpose: .signupEmail)
            }
            throw FxAError.invalidVerificationCode()
        }
        try await stores.codes.delete(uid: uid, purpose: .signupEmail)
        try await stores.accounts.markEmailVerified(uid: uid)
        try await stores.tokens.markAllVerified(uid: uid)
    }

    /// Which credentials `authPW` matches, and the wrapKb it unlocks.
    private func checkPassword(
        account: AccountRecord, authPW: Hex32, typedEmail: EmailAddress
    ) async throws -> (KeyStretchVersion, Data) {
        if let v2 = account.v2 {
            let verifier = try await hasher.verifier(authPW: authPW, authSalt: v2.credentials.authSalt)
            if verifier.matches(v2.credentials.verifyHash) {
                return (.v2, v2.credentials.wrapWrapKb.xor(verifier.wrapWrapKey))
            }
        }
        let verifier = try await hasher.verifier(authPW: authPW, authSalt: account.v1.authSalt)
        if verifier.matches(account.v1.verifyHash) {
            return (.v1, account.v1.wrapWrapKb.xor(verifier.wrapWrapKey))
        }
        // v1 stretching salts with the email as typed: a different case
        // means the client must stretch again with the account's address.
        if typedEmail.value != account.email {
            throw FxAError.incorrectEmailCase(account.email)
        }
        throw FxAError.incorrectPassword()
    }

    private func startSession(
        account: AccountRecord, version: KeyStretchVersion, wrapKb: Data, wantKeys: Bool
    ) async throws -> SessionResponse {
        let verified = account.emailVerified
        let session = try await issuer.issue(.sessionToken, uid: account.uid, verified: verified)
        var response = SessionResponse(
            uid: account.uid.hex, sessionToken: session.raw.hex, authAt: Int64(clock.now().timeIntervalSince1970),
            verified: verified, verificationMethod: verified ? nil : "email",
            verificationReason: verified ? nil : "signup")
        if wantKeys {
            let keyFetch = try await issuer.issue(
                .keyFetchToken, uid: account.uid, verified: verified, stretchVersion: version,
                keys: (account.kA, wrapKb), parentIDHash: TokenAtRest.idHash(session.derived.id))
            switch version {
            case .v1: response.keyFetchToken = keyFetch.raw.hex
            case .v2: response.keyFetchTokenVersion2 = keyFetch.raw.hex
            }
        }
        return response
    }

    static func hash(_ code: Data) -> Data {
        Data(SHA256.hash(data: code))
    }
}
