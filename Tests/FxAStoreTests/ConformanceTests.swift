import FxAStore
import FxAStoreConformance
import Testing

/// Runs every storage conformance case on SQLite, always.
@Suite("Store conformance on SQLite")
struct SQLiteConformanceTests {
    @Test(arguments: StoreConformance.cases)
    func conformance(_ conformanceCase: ConformanceCase) async throws {
        try await FreshStores.with(.sqlite) { stores in try await conformanceCase.run(stores) }
    }
}

/// Runs every storage conformance case on PostgreSQL when
/// `FXA_TEST_POSTGRES_URL` names a server (CI starts one; see .ci/run).
@Suite("Store conformance on PostgreSQL", .enabled(if: FreshStores.postgresURL != nil))
struct PostgresConformanceTests {
    @Test(arguments: StoreConformance.cases)
    func conformance(_ conformanceCase: ConformanceCase) async throws {
        let url = try #require(FreshStores.postgresURL)
        try await FreshStores.with(.postgres(url: url)) { stores in try await conformanceCase.run(stores) }
    }
}
