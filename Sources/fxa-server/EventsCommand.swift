import ArgumentParser
import FxACore
import FxAServer
import FxAStore
import Foundation

/// `fxa-server events …`: what the event broker sent, is sending, and gave
/// up on, and putting failed deliveries back in the queue.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List webhook deliveries and retry failed ones.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recent deliveries, newest first: id, status, attempts, last answer, event, client, uid.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "pending, delivered or failed.") var status: String?
        @Option(name: .customLong("client"), help: "Only this client's (16 hex).") var clientID: String?
        @Option(help: "How many (default 50, at most 100000).") var limit = 50
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            let status = try parseStatus(self.status)
            let client = try parseClient(clientID)
            let deliveries = try await withOutbox(storage, .existingOnly) { outbox in
                try await outbox.deliveries(status: status, clientID: client, limit: min(max(limit, 1), 100_000))
            }
            let format = ISO8601DateFormatter()
            let precise = ISO8601DateFormatter()
            precise.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            for delivery in deliveries {
                if json {
                    print(try jsonLine(delivery, format: precise))
                } else {
                    let answer = delivery.lastStatus.map { "HTTP \($0)" } ?? (delivery.attempts == 0 ? "-" : "no answer")
                    print([
                        delivery.id.uuidString.lowercased(), delivery.status.rawValue, "attempts=\(delivery.attempts)", answer,
                        delivery.kind.rawValue, "client=\(delivery.clientID.hex)", "uid=\(delivery.uid.hex)",
                        format.string(from: delivery.createdAt),
                    ].joined(separator: "  ") + (delivery.lastError.map { "  (\($0))" } ?? ""))
                }
            }
            if deliveries.isEmpty, !json { print("no deliveries") }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue deliveries again: one by --id, or every failed one (of --client).")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The delivery's id (from `events list`).") var id: String?
        @Option(name: .customLong("client"), help: "Only this client's failed deliveries.") var clientID: String?
        @Flag(help: "Every failed delivery (with --client: that client's).") var failed = false

        func validate() throws {
            guard (id != nil) != failed else { throw ValidationError("give either --id or --failed") }
        }

        func run() async throws {
            let client = try parseClient(clientID)
            var deliveryID: UUID?
            if let id {
                guard let parsed = UUID(uuidString: id) else { throw CommandFailure("\(id) is not a delivery id") }
                deliveryID = parsed
            }
            let count = try await withOutbox(storage, .existingOnly) { outbox in
                try await outbox.retry(id: deliveryID, clientID: client, now: Date())
            }
            print("queued \(count) deliver\(count == 1 ? "y" : "ies") again")
            if deliveryID != nil, count == 0 { throw CommandFailure("no such delivery, or it was delivered already") }
        }
    }
}

private func parseStatus(_ text: String?) throws -> EventDelivery.Status? {
    guard let text else { return nil }
    guard let status = EventDelivery.Status(rawValue: text.lowercased()) else {
        throw CommandFailure("status must be pending, delivered or failed")
    }
    return status
}

private func parseClient(_ text: String?) throws -> OAuthClientID? {
    guard let text else { return nil }
    guard let client = OAuthClientID(hex: text) else { throw CommandFailure("\(text) is not a client id (16 hex)") }
    return client
}

/// One delivery as JSON, times with milliseconds.
private func jsonLine(_ delivery: EventDelivery, format: ISO8601DateFormatter) throws -> String {
    var object: [String: JSONValue] = [
        "id": .string(delivery.id.uuidString.lowercased()), "status": .string(delivery.status.rawValue),
        "attempts": .int(delivery.attempts), "event": .string(delivery.kind.rawValue),
        "client_id": .string(delivery.clientID.hex), "uid": .string(delivery.uid.hex), "jti": .string(delivery.jti),
        "created_at": .string(format.string(from: delivery.createdAt)),
        "next_attempt_at": .string(format.string(from: delivery.nextAttemptAt)),
    ]
    if let status = delivery.lastStatus { object["last_status"] = .int(status) }
    if let error = delivery.lastError { object["last_error"] = .string(error) }
    if let at = delivery.deliveredAt { object["delivered_at"] = .string(format.string(from: at)) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(object), as: UTF8.self)
}

/// Opens the configured database, migrates it and runs `body` on its outbox.
private func withOutbox<T>(
    _ storage: StorageOptions, _ use: DatabaseUse, _ body: (any OutboxStore) async throws -> T
) async throws -> T {
    try await withMigratedDependencies(storage, use) { try await body($0.stores.outbox) }
}
