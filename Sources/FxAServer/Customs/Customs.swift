import FxACore
import Foundation

/// Counts attempts per subject (an email, an account, an IP address) in a
/// sliding window and refuses the one over the limit with errno 114 and
/// the seconds until the oldest counted attempt leaves the window.
///
/// The counts live in this process: several instances behind a load
/// balancer each allow the full limit (docs/architecture.md, "Customs", says
/// so). Memory is bounded: each subject keeps at most `limit` timestamps,
/// and subjects idle for a whole window are dropped on a periodic sweep.
actor Customs {
    private let policy: CustomsPolicy
    private let clock: any WallClock
    private var attempts: [String: [Date]] = [:]
    private var checksSinceSweep = 0

    init(policy: CustomsPolicy, clock: any WallClock) {
        self.policy = policy
        self.clock = clock
    }

    /// Records one attempt of `action` by `subject` (an email or uid) from
    /// `ip`, or throws errno 114 without recording it when either is over
    /// its limit.
    func check(_ action: CustomsAction, subject: String?, ip: String?) throws {
        let now = clock.now()
        sweepIfDue(now: now)
        var keys: [(String, Int)] = []
        if let subject { keys.append(("\(action.rawValue):\(subject)", limit(for: action))) }
        if let ip { keys.append(("ip:\(ip)", policy.attemptsPerIP)) }
        keys = keys.filter { $0.1 > 0 }

        var wait = 0.0
        for (key, limit) in keys {
            let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < policy.window }
            attempts[key] = recent
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait, policy.window - now.timeIntervalSince(oldest))
            }
        }
        if wait > 0 { throw FxAError.throttled(retryAfter: Int(wait.rounded(.up))) }
        for (key, _) in keys { attempts[key, default: []].append(now) }
    }

    private func limit(for action: CustomsAction) -> Int {
        switch action {
        case .passwordCheck: return policy.passwordAttemptsPerEmail
        case .codeCheck: return policy.codeAttemptsPerAccount
        case .emailSend: return policy.emailsPerAddress
        case .deviceMessage: return policy.deviceMessagesPerAccount
        }
    }

    private func sweepIfDue(now: Date) {
        checksSinceSweep += 1
        guard checksSinceSweep >= 10_000 else { return }
        checksSinceSweep = 0
        attempts = attempts.filter { _, times in times.last.map { now.timeIntervalSince($0) < policy.window } ?? false }
    }
}
