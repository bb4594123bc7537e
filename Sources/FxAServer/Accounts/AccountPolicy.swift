import Foundation

/// Operator choices about accounts.
public struct AccountPolicy: Sendable, Equatable {
    /// Mark new accounts verified without an emailed code, for instances
    /// without working email. Off by default.
    public var autoVerify: Bool
    /// How long a sign-up verification code stays valid.
    public var signupCodeLifetime: TimeInterval
    /// Wrong guesses after which a code is burnt and a new one must be sent.
    public var maxCodeAttempts: Int

    public init(autoVerify: Bool = false, signupCodeLifetime: TimeInterval = 24 * 3600, maxCodeAttempts: Int = 5) {
        self.autoVerify = autoVerify
        self.signupCodeLifetime = signupCodeLifetime
        self.maxCodeAttempts = maxCodeAttempts
    }
}
