import FluentKit
import Foundation

/// A user of the notes app, keyed by FxA `uid` (never by email).
final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: "uid", generatedBy: .user) var id: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "display_name") var displayName: String?
    @OptionalField(key: "avatar") var avatar: String?
    @OptionalField(key: "locale") var locale: String?
    /// Kept to fetch the profile again when FxA says it changed. A real
    /// deployment should encrypt this column (it is a bearer credential).
    @OptionalField(key: "refresh_token") var refreshToken: String?
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One note, owned by a user.
final class NoteRecord: Model, @unchecked Sendable {
    static let schema = "notes"

    @ID(key: .id) var id: UUID?
    @Field(key: "uid") var uid: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(uid: String, text: String, createdAt: Date) {
        self.uid = uid
        self.text = text
        self.createdAt = createdAt
    }
}

/// One event FxA sent about a user and what the app did about it, for the
/// history on the home page. Erased with the user.
final class EventRecord: Model, @unchecked Sendable {
    static let schema = "account_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "uid") var uid: String
    @Field(key: "title") var title: String
    @Field(key: "outcome") var outcome: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}

    init(uid: String, title: String, outcome: String, receivedAt: Date) {
        self.uid = uid
        self.title = title
        self.outcome = outcome
        self.receivedAt = receivedAt
    }
}

/// Security Event Token ids already handled, so a replay does nothing.
final class SeenEventRecord: Model, @unchecked Sendable {
    static let schema = "seen_events"

    @ID(custom: "jti", generatedBy: .user) var id: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(jti: String, expiresAt: Date) {
        id = jti
        self.expiresAt = expiresAt
    }
}

struct CreateNotesSchema: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema)
            .field("uid", .string, .identifier(auto: false))
            .field("email", .string)
            .field("display_name", .string)
            .field("avatar", .string)
            .field("locale", .string)
            .field("refresh_token", .string)
            .field("password_changed_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(NoteRecord.schema)
            .id()
            .field("uid", .string, .required, .references(UserRecord.schema, "uid", onDelete: .cascade))
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(SeenEventRecord.schema)
            .field("jti", .string, .identifier(auto: false))
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SeenEventRecord.schema).delete()
        try await database.schema(NoteRecord.schema).delete()
        try await database.schema(UserRecord.schema).delete()
    }
}

/// The event history (added after the first schema, as a deployed app
/// would add a table).
struct CreateEventHistory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EventRecord.schema)
            .id()
            .field("uid", .string, .required, .references(UserRecord.schema, "uid", onDelete: .cascade))
            .field("title", .string, .required)
            .field("outcome", .string, .required)
            .field("received_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EventRecord.schema).delete()
    }
}
