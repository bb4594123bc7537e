import Foundation
import SQLKit

/// ``MailboxStore`` on the `dev_mail` table (``DevMailRow``).
public struct SQLMailboxStore: MailboxStore {
    let database: StoreDatabase

    public init(database: StoreDatabase) {
        self.database = database
    }

    public func deliver(_ message: MailMessage) async throws {
        try await database.sql().insert(DevMailRow(message))
    }

    public func messages(mailbox: String) async throws -> [MailMessage] {
        try await database.sql().selectRows(DevMailRow.self)
            .where("mailbox", .equal, mailbox.lowercased())
            .orderBy("sent_at", .descending)
            .rows(DevMailRow.self)
            .map { try $0.record() }
    }

    public func recent(limit: Int) async throws -> [MailMessage] {
        try await database.sql().selectRows(DevMailRow.self)
            .orderBy("sent_at", .descending)
            .limit(limit)
            .rows(DevMailRow.self)
            .map { try $0.record() }
    }

    public func clear(mailbox: String) async throws {
        try await database.sql().delete(from: DevMailRow.table).where("mailbox", .equal, mailbox.lowercased()).run()
    }
}
