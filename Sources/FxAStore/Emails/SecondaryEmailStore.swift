import FxACore
import Foundation

/// An email address an account added besides its primary one (FxA's
/// "secondary email"). It receives nothing until verified; once verified it
/// can become the primary address.
public struct SecondaryEmail: Sendable, Equatable {
    /// As the user typed it.
    public var email: String
    /// Lowercased lookup key.
    public var normalizedEmail: String
    /// Whether its code was confirmed.
    public var verified: Bool
    /// When it was added.
    public var createdAt: Date

    /// An address; its normalized form is derived.
    public init(email: String, verified: Bool, createdAt: Date) {
        self.email = email
        normalizedEmail = EmailAddress.normalize(email)
        self.verified = verified
        self.createdAt = createdAt
    }
}

/// Why a secondary email cannot be added, verified or made primary; each
/// maps to one FxA errno.
public enum SecondaryEmailRefusal: Error, Sendable, Equatable {
    /// It is this account's primary address (FxA 139).
    case isOwnPrimary
    /// It is another account's primary address (FxA 136).
    case isAnotherPrimary
    /// Another account has verified it (FxA 140/144).
    case verifiedElsewhere
    /// This account has it already (FxA 189 in newer servers; 136 before).
    case alreadyAdded
    /// The account has as many as allowed.
    case tooMany
    /// This account has no such secondary address (FxA 150).
    case notFound
    /// It must be verified first (FxA 147/148).
    case unverified
}

/// Persistence of secondary emails. Uniqueness across accounts holds for
/// primary and *verified* addresses only: an unverified claim does not
/// block anyone (else typing someone else's address would squat it), and
/// verifying an address removes other accounts' unverified claims to it.
public protocol SecondaryEmailStore: Sendable {
    /// The account's secondary emails, oldest first.
    func secondaryEmails(uid: AccountUID) async throws -> [SecondaryEmail]
    /// Adds an unverified secondary email.
    /// - Throws: ``SecondaryEmailRefusal``.
    func addSecondaryEmail(_ email: String, uid: AccountUID, at date: Date, limit: Int) async throws
    /// Marks it verified and drops other accounts' unverified claims to it.
    /// - Throws: ``SecondaryEmailRefusal`` (`notFound`, `verifiedElsewhere`,
    ///   `isAnotherPrimary` when another account took it meanwhile).
    func markSecondaryEmailVerified(normalizedEmail: String, uid: AccountUID) async throws
    /// Removes it. - Throws: ``SecondaryEmailRefusal/notFound``.
    func removeSecondaryEmail(normalizedEmail: String, uid: AccountUID) async throws
    /// Swaps a verified secondary email with the primary one, recording
    /// `event` (a profile change carrying the new address) in the same
    /// transaction. The old primary stays as a verified secondary.
    /// - Throws: ``SecondaryEmailRefusal`` (`notFound`, `unverified`).
    func makePrimary(normalizedEmail: String, uid: AccountUID, recording event: OutboxEvent) async throws
    /// Whether some account has verified this address as a secondary one
    /// (sign-up with it is refused, like with a primary address).
    func isVerifiedSecondaryEmail(normalizedEmail: String) async throws -> Bool
}
