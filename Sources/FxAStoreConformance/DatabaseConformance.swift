import FxAStore

extension StoreConformance {
    /// The database itself: migrations and the health probe.
    static let databaseCases: [ConformanceCase] = [
        ConformanceCase("database: migrating again is a no-op") { stores in
            try await stores.database.migrate()
            try await stores.database.migrate()
            try await stores.database.ping()
        },
        ConformanceCase("database: ping fails once the connections are closed") { stores in
            try await stores.database.ping()
            await stores.database.shutdown()
            var failed = false
            do {
                try await stores.database.ping()
            } catch {
                failed = true
            }
            try require(failed, "ping succeeded on a shut-down database")
        },
        ConformanceCase("database: the startup lock runs its body and returns its value") { stores in
            let value = try await stores.database.withStartupLock { 42 }
            try requireEqual(value, 42, "value returned through the lock")
            // Taking it again proves the first holder released it.
            let again = try await stores.database.withStartupLock { "released" }
            try requireEqual(again, "released", "second acquisition")
        },
    ]
}
