import FxACore
import FxAStore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Deletes expired authorization codes and access tokens in the
/// background, so the tables stay the size of what is live. Used codes are
/// kept until their lifetime ends (replay detection needs them), then go.
/// Every instance sweeps; the deletes are idempotent.
final class ExpiredGrantSweeper: LifecycleHandler, Sendable {
    private let grants: any OAuthGrantStore
    private let clock: any WallClock
    private let interval: Duration
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(grants: any OAuthGrantStore, clock: any WallClock, interval: Duration = .seconds(600)) {
        self.grants = grants
        self.clock = clock
        self.interval = interval
    }

    /// One sweep: codes older than their lifetime, access tokens past expiry.
    func sweep() async throws {
        let now = clock.now()
        try await grants.purgeExpired(
            codesBefore: now.addingTimeInterval(-AuthorizationCodeIssuer.codeLifetime), tokensBefore: now)
    }

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        let interval = interval
        task.withLockedValue { task in
            task = Task { [self] in
                while !Task.isCancelled {
                    do {
                        try await sweep()
                    } catch {
                        logger.warning("expired OAuth grants not swept", metadata: ["cause": "\(error)"])
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
