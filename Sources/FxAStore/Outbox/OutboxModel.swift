import FluentKit
import FxACore
import Foundation

/// The `event_outbox` table: one row per event to deliver.
final class OutboxModel: Model, @unchecked Sendable {
    static let schema = "event_outbox"

    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "uid") var uid: String
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}

    init(_ event: OutboxEvent) throws {
        id = event.id
        uid = event.uid.hex
        kind = event.kind.rawValue
        payload = String(decoding: try JSONEncoder().encode(event.payload), as: UTF8.self)
        occurredAt = event.occurredAt
    }

    var event: OutboxEvent? {
        guard let id, let uid = AccountUID(hex: uid), let kind = OutboxEvent.Kind(rawValue: kind),
              let payload = try? JSONDecoder().decode([String: JSONValue].self, from: Data(payload.utf8))
        else { return nil }
        return OutboxEvent(id: id, uid: uid, kind: kind, payload: payload, occurredAt: occurredAt)
    }
}

/// Creates `event_outbox`.
struct CreateEventOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema)
            .field("id", .uuid, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxModel.schema).delete()
    }
}

/// ``OutboxStore`` through Fluent.
public struct FluentOutboxStore: OutboxStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func events(uid: AccountUID) async throws -> [OutboxEvent] {
        try await OutboxModel.query(on: database.handle())
            .filter(\.$uid == uid.hex)
            .sort(\.$occurredAt)
            .all()
            .compactMap(\.event)
    }
}
