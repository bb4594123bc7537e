import Foundation
import FluentKit
import SQLKit

/// Adds the profile columns to `accounts`. One column per statement:
/// SQLite's ALTER TABLE adds a single column at a time.
struct AddAccountProfileFields: AsyncMigration {
    static let columns: [(FieldKey, DatabaseSchema.DataType)] = [
        ("locale", .string), ("display_name", .string), ("avatar_id", .string), ("profile_changed_at", .datetime),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema(AccountRow.table).field(name, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() {
            try await database.schema(AccountRow.table).deleteField(name).update()
        }
    }
}

/// Creates `avatars` with an index on `uid`.
struct CreateAvatars: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AvatarRow.table)
            .field("id", .string, .identifier(auto: false))
            .field("uid", .string, .required)
            .field("content_type", .string, .required)
            .field("bytes", .data, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sqlDatabase(database).create(index: "avatars_uid").on(AvatarRow.table).column("uid").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AvatarRow.table).delete()
    }
}

/// Adds `accounts.capabilities`: a JSON list of subscription capabilities
/// the operator granted (sent to RPs as subscription-state-change events).
struct AddAccountCapabilities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountRow.table).field("capabilities", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountRow.table).deleteField("capabilities").update()
    }
}
