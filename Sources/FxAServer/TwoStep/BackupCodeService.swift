import FxACore
import FxAStore
import Foundation

/// Backup authentication codes (FxA's "recovery codes"): the way in when
/// the phone with the authenticator app is lost. A set of 8, shown once,
/// stored as SHA-256 only, each spent by one sign-in, replaced whole; the
/// user is emailed when a new set is made, when one is used, and when few
/// are left.
struct BackupCodeService: Sendable {
    let codes: any RecoveryCodeStore
    let totp: any TOTPStore
    let tokens: any TokenStore
    let mailer: any Mailer
    let clock: any WallClock

    /// Codes in a set (FxA: 8).
    static let setSize = 8
    /// Characters per generated code (FxA: 10): 50 bits each.
    static let length = 10
    /// At this many left or fewer, the user is told to make new ones (FxA: 2).
    static let lowCount = 2
    /// Crockford's base32 in lowercase: no `i`, `l`, `o` or `u`, so a code
    /// read off paper cannot be mistyped into another one.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new set for an account with two-step authentication on, replacing
    /// any earlier one; the codes are returned once and never stored.
    ///
    /// - Throws: errno 155 when two-step authentication is off.
    func generate(for session: SignedInSession) async throws -> [String] {
        guard try await totp.isEnabled(uid: session.uid) else { throw FxAError.totpNotFound() }
        let set = (0..<Self.setSize).map { _ in Self.randomCode() }
        try await save(set, for: session.account)
        return set
    }

    /// Stores a set the client made (FxA's settings make their own).
    /// `whileSettingUp`: `POST`, before two-step authentication is on (FxA
    /// refuses it after, errno 154); else `PUT`, which needs it on (155).
    ///
    /// - Throws: errno 107 for a code that is not 8 to 20 letters and digits.
    func store(_ supplied: [String], for session: SignedInSession, whileSettingUp: Bool) async throws {
        let enabled = try await totp.isEnabled(uid: session.uid)
        if whileSettingUp, enabled { throw FxAError.totpAlreadyEnabled() }
        if !whileSettingUp, !enabled { throw FxAError.totpNotFound() }
        let normalized = supplied.map(Self.normalize)
        guard (1...20).contains(normalized.count), Set(normalized).count == normalized.count,
              normalized.allSatisfy({ (8...20).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else { throw FxAError.invalidParameter(["recoveryCodes"]) }
        try await save(normalized, for: session.account)
    }

    /// `GET /recoveryCodes/exists`.
    func count(uid: AccountUID) async throws -> Int {
        try await codes.count(uid: uid)
    }

    /// `POST /session/verify/recoveryCode`: a backup code confirms the
    /// session as a two-step session, as the app's code would, and is spent.
    ///
    /// - Throws: errno 156 for a code the account does not have (wrong,
    ///   spent, or of an earlier set).
    func verifySession(_ code: String, session: SignedInSession) async throws -> Int {
        try await redeem(code, account: session.account, confirming: session.token.idHash)
    }

    /// Spends a backup code of `account` and marks `token` as confirmed by
    /// one: a session at sign-in, or the password-forgot token of a reset
    /// (`POST /totp/verify/recoveryCode`), whose reset then keeps that
    /// proof. The answer is how many codes are left.
    ///
    /// - Throws: errno 156 for a code the account does not have (wrong,
    ///   spent, or of an earlier set).
    func redeem(_ code: String, account: AccountRecord, confirming token: TokenHash) async throws -> Int {
        // Codes stand in for the app: without it on (a setup abandoned
        // after the client stored its codes), none proves anything.
        guard try await totp.isEnabled(uid: account.uid) else { throw FxAError.backupCodeNotFound() }
        guard let remaining = try await codes.consume(uid: account.uid, hash: Self.hash(code)) else {
            throw FxAError.backupCodeNotFound()
        }
        try await tokens.markVerified(idHash: token, method: .recoveryCode)
        let now = clock.now()
        try await mailer.send(AccountMails.backupCodeUsed(to: account.primaryEmail, uid: account.uid, remaining: remaining, at: now))
        if remaining <= Self.lowCount {
            try await mailer.send(AccountMails.backupCodesLow(to: account.primaryEmail, uid: account.uid, remaining: remaining, at: now))
        }
        return remaining
    }

    private func save(_ set: [String], for account: AccountRecord) async throws {
        try await codes.replace(uid: account.uid, with: set.map(Self.hash))
        try await mailer.send(AccountMails.newBackupCodes(to: account.primaryEmail, uid: account.uid, at: clock.now()))
    }

    /// What is compared: lowercase, without the spaces and dashes people
    /// add when they copy a code.
    static func normalize(_ code: String) -> String {
        code.lowercased().filter { $0 != " " && $0 != "-" }
    }

    static func hash(_ code: String) -> TokenHash {
        TokenHash(of: Data(normalize(code).utf8))
    }

    static func randomCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
