import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Runs a cleanup job every `interval` in the background of every server
/// process, from boot to shutdown. The jobs are idempotent deletes, so
/// instances sharing a database may all run them. A failed run is logged
/// and the next one tries again.
final class PeriodicSweeper: LifecycleHandler, Sendable {
    private let name: String
    private let interval: Duration
    private let job: @Sendable () async throws -> Void
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(name: String, interval: Duration = .seconds(600), job: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.job = job
    }

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        let (name, interval, job) = (name, interval, job)
        task.withLockedValue { task in
            task = Task {
                while !Task.isCancelled {
                    do {
                        try await job()
                    } catch {
                        logger.warning("periodic cleanup failed", metadata: ["job": .string(name), "cause": "\(error)"])
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
