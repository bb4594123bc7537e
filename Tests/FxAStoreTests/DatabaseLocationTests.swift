import FxAStore
import Testing

@Suite("Database URLs")
struct DatabaseLocationTests {
    @Test func postgresURLsOfEveryAcceptedSchemeSelectPostgres() throws {
        for url in ["postgres://u:p@db:5432/fxa", "postgresql://u@db/fxa", "postgres+uds://u@localhost/tmp/s#fxa"] {
            #expect(try DatabaseLocation(url: url) == .postgres(url: url))
        }
    }

    @Test func sqliteURLsSelectAFileOrMemory() throws {
        #expect(try DatabaseLocation(url: "sqlite:///var/lib/fxa/db.sqlite") == .sqliteFile(path: "/var/lib/fxa/db.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite://data/fxa.sqlite") == .sqliteFile(path: "data/fxa.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite::memory:") == .sqliteInMemory)
    }

    @Test func unknownSchemesAndEmptyPathsAreRefused() {
        for url in ["mysql://u@db/fxa", "sqlite://", "", "/just/a/path"] {
            #expect(throws: FxAStoreError.invalidDatabaseURL) { try DatabaseLocation(url: url) }
        }
    }

    @Test func theLoggableDescriptionNeverContainsThePassword() {
        let location = DatabaseLocation.postgres(url: "postgres://fxa:hunter2secret@db.internal:5432/fxa?sslmode=require")
        let text = location.redactedDescription
        #expect(!text.contains("hunter2secret"))
        #expect(text.contains("db.internal"))
        #expect(text.contains("redacted"))
    }

    @Test func onlyPostgresIsSharedBetweenProcesses() {
        #expect(DatabaseLocation.postgres(url: "postgres://u@h/d").isShared)
        #expect(!DatabaseLocation.sqliteFile(path: "x").isShared)
        #expect(!DatabaseLocation.sqliteInMemory.isShared)
    }
}
