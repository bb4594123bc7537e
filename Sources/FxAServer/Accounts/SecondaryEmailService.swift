import FxACore
import FxAStore
import Foundation

/// Secondary email addresses (FxA's `/recovery_email*` routes): add one and
/// prove it with an emailed code, remove it, make a verified one primary.
/// Making one primary tells relying parties through a `profile-change`
/// event carrying the new address, recorded in the same transaction.
struct SecondaryEmailService: Sendable {
    let accounts: any AccountStore
    let secondaryEmails: any SecondaryEmailStore
    let codes: EmailedCodes
    let mailer: any Mailer
    let clock: any WallClock

    /// FxA allows three.
    static let maximumPerAccount = 3
    static let codeLifetime: TimeInterval = 3600

    /// The account's addresses, primary first, as FxA lists them.
    func list(account: AccountRecord) async throws -> [RecoveryEmailResponse] {
        let secondary = try await secondaryEmails.secondaryEmails(uid: account.uid)
        return [RecoveryEmailResponse(email: account.primaryEmail, isPrimary: true, verified: account.emailVerified)]
            + secondary.map { RecoveryEmailResponse(email: $0.email, isPrimary: false, verified: $0.verified) }
    }

    func add(_ email: EmailAddress, account: AccountRecord) async throws {
        do {
            try await secondaryEmails.addSecondaryEmail(email.value, uid: account.uid, at: clock.now(), limit: Self.maximumPerAccount)
        } catch let refusal as SecondaryEmailRefusal {
            throw Self.error(for: refusal)
        }
        try await sendCode(to: email, uid: account.uid)
    }

    /// Sends a new code; an earlier one for another address stops working
    /// (one pending secondary verification per account).
    func resend(_ email: EmailAddress, account: AccountRecord) async throws {
        let pending = try await secondaryEmails.secondaryEmails(uid: account.uid)
        guard let row = pending.first(where: { $0.normalizedEmail == email.normalized }) else {
            throw FxAError.resendCodeToUnownedEmail()
        }
        guard !row.verified else { throw FxAError.alreadyOwnsEmail() }
        try await sendCode(to: email, uid: account.uid)
    }

    func verify(_ email: EmailAddress, code: SigninCode, account: AccountRecord) async throws {
        let pending = try await secondaryEmails.secondaryEmails(uid: account.uid)
        guard let row = pending.first(where: { $0.normalizedEmail == email.normalized }) else {
            throw FxAError.unknownSecondaryEmail()
        }
        if row.verified { return }
        try await codes.redeem(
            Self.boundCode(code.value, email: email), uid: account.uid, purpose: .secondaryEmail,
            rejection: FxAError.invalidVerificationCode())
        do {
            try await secondaryEmails.markSecondaryEmailVerified(normalizedEmail: email.normalized, uid: account.uid)
        } catch let refusal as SecondaryEmailRefusal {
            throw Self.error(for: refusal)
        }
    }

    func makePrimary(_ email: EmailAddress, account: AccountRecord) async throws {
        if account.normalizedEmail == email.normalized { return }
        let event = OutboxEvent(
            uid: account.uid, kind: .profileChange, payload: ["email": .string(email.value)], occurredAt: clock.now())
        do {
            try await secondaryEmails.makePrimary(normalizedEmail: email.normalized, uid: account.uid, recording: event)
        } catch SecondaryEmailRefusal.notFound {
            // Someone else's address, or nobody's.
            let owner = try await accounts.account(anyVerifiedEmail: email.normalized)
            throw owner == nil ? FxAError.unknownSecondaryEmail() : FxAError.changeEmailToUnownedEmail()
        } catch let refusal as SecondaryEmailRefusal {
            throw Self.error(for: refusal)
        }
    }

    /// Removes a secondary address; the primary cannot be removed, and an
    /// address the account does not have is already removed (`{}` as FxA).
    func remove(_ email: EmailAddress, account: AccountRecord) async throws {
        guard account.normalizedEmail != email.normalized else { throw FxAError.cannotDeletePrimaryEmail() }
        do {
            try await secondaryEmails.removeSecondaryEmail(normalizedEmail: email.normalized, uid: account.uid)
        } catch SecondaryEmailRefusal.notFound {
            return
        }
    }

    private func sendCode(to email: EmailAddress, uid: AccountUID) async throws {
        let code = EmailedCodes.decimal(digits: 6)
        try await codes.store(Self.boundCode(code, email: email), uid: uid, purpose: .secondaryEmail, lifetime: Self.codeLifetime)
        try await mailer.send(AccountMails.verifySecondaryEmail(to: email.value, uid: uid, code: code, at: clock.now()))
    }

    /// The stored code names its address, so a code mailed to one address
    /// cannot verify another.
    private static func boundCode(_ code: String, email: EmailAddress) -> Data {
        Data("\(code)\n\(email.normalized)".utf8)
    }

    static func error(for refusal: SecondaryEmailRefusal) -> FxAError {
        switch refusal {
        case .isOwnPrimary: .secondaryEmailIsOwnPrimary()
        case .isAnotherPrimary: .verifiedPrimaryEmailExists()
        case .verifiedElsewhere: .emailExists()
        case .alreadyAdded: .alreadyOwnsEmail()
        case .tooMany: .maxSecondaryEmailsReached()
        case .notFound: .unknownSecondaryEmail()
        case .unverified: .changeEmailToUnverifiedEmail()
        }
    }
}
