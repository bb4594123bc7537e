import Foundation
import FxACore

/// Operator choices about accounts.
public struct AccountPolicy: Sendable, Equatable {
    /// Mark new accounts verified without an emailed code, for instances
    /// without working email. Off by default.
    public var autoVerify: Bool
    /// Who may create an account through the API.
    public var signup: SignupPolicy
    /// Ask for an emailed code before a new sign-in on a verified account
    /// counts as verified (FxA's sign-in confirmation). Off by default:
    /// many self-hosted instances have no reliable email, and Mozilla's
    /// clients expect a verified session from a plain login.
    public var confirmSignins: Bool
    /// How long a sign-up verification code stays valid.
    public var signupCodeLifetime: TimeInterval
    /// Wrong guesses after which a code is burnt and a new one must be sent.
    public var maxCodeAttempts: Int

    public init(
        autoVerify: Bool = false, signup: SignupPolicy = .open, confirmSignins: Bool = false,
        signupCodeLifetime: TimeInterval = 24 * 3600, maxCodeAttempts: Int = 5
    ) {
        self.autoVerify = autoVerify
        self.signup = signup
        self.confirmSignins = confirmSignins
        self.signupCodeLifetime = signupCodeLifetime
        self.maxCodeAttempts = maxCodeAttempts
    }
}

/// Who may sign up. A private instance (a family, a company) lists its
/// people or its domain, or closes sign-up and lets the operator create
/// accounts with `fxa-server account create`.
public enum SignupPolicy: Sendable, Equatable {
    case open
    /// Only these exact addresses and addresses at these domains (both
    /// compared as ``EmailAddress/normalize(_:)`` keys: lowercased, NFKC).
    case allowList(emails: Set<String>, domains: Set<String>)
    case closed

    /// Whether an address (already an ``EmailAddress/normalized`` key) may sign up.
    public func admits(normalizedEmail email: String) -> Bool {
        switch self {
        case .open: return true
        case .closed: return false
        case let .allowList(emails, domains):
            if emails.contains(email) { return true }
            guard let at = email.lastIndex(of: "@") else { return false }
            return domains.contains(String(email[email.index(after: at)...]))
        }
    }

    /// Parses the configuration form: `open`, `closed`, or a comma-separated
    /// list of addresses and `@domain` / `domain` entries.
    public init?(configuration text: String) {
        let trimmed = EmailAddress.normalize(text.trimmingCharacters(in: .whitespaces))
        switch trimmed {
        case "open": self = .open
        case "closed": self = .closed
        case "": return nil
        default:
            var emails = Set<String>()
            var domains = Set<String>()
            // Each entry must be an address or a domain: a typo (`--signup
            // weird`, `opne`) is refused at start-up, not taken as a domain
            // nobody has.
            for entry in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
                if entry.hasPrefix("@") {
                    let domain = String(entry.dropFirst())
                    guard Self.isDomain(domain) else { return nil }
                    domains.insert(domain)
                } else if entry.contains("@") {
                    guard EmailAddress(entry) != nil else { return nil }
                    emails.insert(entry)
                } else {
                    guard Self.isDomain(entry) else { return nil }
                    domains.insert(entry)
                }
            }
            guard !emails.isEmpty || !domains.isEmpty else { return nil }
            self = .allowList(emails: emails, domains: domains)
        }
    }

    /// A host name with at least one dot: labels of letters, digits and
    /// hyphens, none empty.
    static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// The form the startup log shows (counts, not addresses).
    public var summary: String {
        switch self {
        case .open: return "open"
        case .closed: return "closed"
        case let .allowList(emails, domains): return "allow-list(\(emails.count) emails, \(domains.count) domains)"
        }
    }
}
