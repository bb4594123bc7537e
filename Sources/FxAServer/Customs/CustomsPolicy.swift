import Foundation

/// How many attempts the server allows before it answers errno 114
/// (FxA's "customs"). Each limit counts attempts in a sliding window; 0
/// turns that limit off.
///
/// The defaults let a person mistype a few times and a test suite run, while
/// making online guessing of a password or an 8-digit code hopeless: at 20
/// logins per email per 15 minutes a 6-character random password takes
/// millennia, and a code is burnt after 5 wrong guesses anyway.
public struct CustomsPolicy: Sendable, Equatable {
    /// Length of the sliding window.
    public var window: TimeInterval
    /// Sign-ups, logins, deletions and password-change starts per email.
    public var passwordAttemptsPerEmail: Int
    /// Code verifications (sign-up, sign-in, forgot-password) per account.
    public var codeAttemptsPerAccount: Int
    /// Emails sent (codes and resends) per address.
    public var emailsPerAddress: Int
    /// Every counted action from one IP address.
    public var attemptsPerIP: Int
    /// Messages between devices (`invoke_command`, `notify`) per account:
    /// each stores a command or sends pushes, so an account may not send
    /// them without bound (FxA's customs checks both routes).
    public var deviceMessagesPerAccount: Int

    public init(
        window: TimeInterval = 15 * 60, passwordAttemptsPerEmail: Int = 20, codeAttemptsPerAccount: Int = 10,
        emailsPerAddress: Int = 5, attemptsPerIP: Int = 300, deviceMessagesPerAccount: Int = 300
    ) {
        self.deviceMessagesPerAccount = deviceMessagesPerAccount
        self.window = window
        self.passwordAttemptsPerEmail = passwordAttemptsPerEmail
        self.codeAttemptsPerAccount = codeAttemptsPerAccount
        self.emailsPerAddress = emailsPerAddress
        self.attemptsPerIP = attemptsPerIP
    }

    /// Development mode's defaults: ten times the production limits, for
    /// one developer on loopback who signs up, mistypes and resends all day
    /// (each code is still burnt after 5 wrong guesses, and two-step
    /// authentication's lock is not a customs limit). Never used in
    /// production mode.
    public static let development = CustomsPolicy(
        passwordAttemptsPerEmail: 200, codeAttemptsPerAccount: 100, emailsPerAddress: 50, attemptsPerIP: 3000,
        deviceMessagesPerAccount: 3000)

    /// No limits at all, for benchmarks that measure the hash, not customs.
    public static let off = CustomsPolicy(
        passwordAttemptsPerEmail: 0, codeAttemptsPerAccount: 0, emailsPerAddress: 0, attemptsPerIP: 0,
        deviceMessagesPerAccount: 0)

    /// The startup log form.
    public var summary: String {
        "\(passwordAttemptsPerEmail)/\(codeAttemptsPerAccount)/\(emailsPerAddress)/\(attemptsPerIP)/\(deviceMessagesPerAccount) per \(Int(window))s"
    }
}

/// What an attempt is, which decides the limit it counts against.
public enum CustomsAction: String, Sendable {
    case passwordCheck = "password"
    case codeCheck = "code"
    case emailSend = "email"
    case deviceMessage = "device"
}
