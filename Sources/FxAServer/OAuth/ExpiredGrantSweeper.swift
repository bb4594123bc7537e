import FxACore
import FxAStore
import Foundation

/// Deletes expired authorization codes and access tokens, so the tables
/// stay the size of what is live. Used codes are kept until their lifetime
/// ends (replay detection needs them), then go. Run by a ``PeriodicSweeper``.
struct ExpiredGrantSweeper: Sendable {
    let grants: any OAuthGrantStore
    let clock: any WallClock

    /// One sweep: codes older than their lifetime, access tokens past expiry.
    func sweep() async throws {
        let now = clock.now()
        try await grants.purgeExpired(
            codesBefore: now.addingTimeInterval(-AuthorizationCodeIssuer.codeLifetime), tokensBefore: now)
    }
}
