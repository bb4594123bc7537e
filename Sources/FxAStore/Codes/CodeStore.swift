import FxACore
import Foundation

/// What an emailed code proves.
public enum VerificationPurpose: String, Sendable, Codable, CaseIterable {
    /// The primary email at sign-up (`X-Verify-Code`).
    case signupEmail = "signup-email"
    /// A sign-in that must be confirmed (`session/verify_code`).
    case signinConfirmation = "signin-confirmation"
    /// The one-time code of the forgot-password flow (`X-Password-Forgot-Otp`).
    case passwordForgot = "password-forgot"
    /// The server-issued code that `password/forgot/verify_otp` returns and
    /// `password/forgot/verify_code` takes back with the passwordForgotToken.
    case passwordResetConfirmation = "password-reset-confirmation"
    /// A secondary email being added (`X-Verify-Code` to that address).
    case secondaryEmail = "secondary-email"
    /// The step-up code of `/mfa/otp/request` (`X-Account-Change-Verify-Code`),
    /// bound to its session and action.
    case accountChange = "account-change"
}

/// A code as stored: only its SHA-256, with an expiry and a count of wrong
/// guesses so a code can be burnt after too many.
public struct StoredCode: Sendable, Equatable {
    public var uid: AccountUID
    public var purpose: VerificationPurpose
    public var codeHash: TokenHash
    public var expiresAt: Date
    public var failedAttempts: Int

    public init(uid: AccountUID, purpose: VerificationPurpose, codeHash: TokenHash, expiresAt: Date, failedAttempts: Int = 0) {
        self.uid = uid
        self.purpose = purpose
        self.codeHash = codeHash
        self.expiresAt = expiresAt
        self.failedAttempts = failedAttempts
    }
}

/// Persistence of emailed verification codes: at most one live code per
/// account and purpose.
public protocol CodeStore: Sendable {
    /// Stores `code`, replacing any earlier code for the same account and
    /// purpose (a resend invalidates the previous code).
    func put(_ code: StoredCode) async throws
    func code(uid: AccountUID, purpose: VerificationPurpose) async throws -> StoredCode?
    /// Counts one wrong guess and returns the new count.
    func recordFailedAttempt(uid: AccountUID, purpose: VerificationPurpose) async throws -> Int
    /// Takes one of the code's `limit` attempts before it is compared, in
    /// one statement: the live code with its count after this attempt, or
    /// `nil` when there is none, it has expired, or its attempts are used
    /// up. Concurrent guesses therefore never get past the limit.
    func reserveAttempt(uid: AccountUID, purpose: VerificationPurpose, limit: Int, now: Date) async throws -> StoredCode?
    func delete(uid: AccountUID, purpose: VerificationPurpose) async throws
    /// Deletes the code only if it is still the one with `codeHash`, in one
    /// statement: whether this call removed it. Two requests redeeming one
    /// code at once: exactly one gets `true`.
    func consume(uid: AccountUID, purpose: VerificationPurpose, codeHash: TokenHash) async throws -> Bool
}
