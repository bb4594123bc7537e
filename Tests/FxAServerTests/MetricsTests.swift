import FxAServer
import Testing
import VaporTesting

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test func metricsAreOffByDefault() async throws {
        try await withTestServer { server in
            try await server.app.testing().test(.GET, "/metrics") { res async throws in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func whenOnRequestsAreCountedByRoutePatternInPrometheusText() async throws {
        try await withTestServer(configure: { $0.metricsEnabled = true }) { server in
            try await server.app.testing().test(.GET, "/__heartbeat__") { _ async throws in }
            try await server.app.testing().test(.GET, "/no/such/thing") { _ async throws in }
            try await server.app.testing().test(.GET, "/metrics") { res async throws in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = res.body.string
                #expect(text.contains(#"fxa_http_requests_total{method="GET",route="/__heartbeat__",status="200"} 1"#))
                #expect(text.contains(#"route="unmatched",status="404"} 1"#))
                #expect(text.contains("fxa_http_request_duration_seconds_bucket"))
                // Raw paths never become labels.
                #expect(!text.contains("/no/such/thing"))
            }
        }
    }

    /// SQLite's group commit, as an operator watches it: transactions and
    /// the commits (fsyncs) that made them durable.
    @Test func sqliteGroupCommitIsReported() async throws {
        try await withTestServer(configure: { $0.metricsEnabled = true }) { server in
            _ = try await server.signUp(TestUser())
            let metrics = try await server.call(.GET, "/metrics")
            let values = Dictionary(uniqueKeysWithValues: metrics.raw.split(separator: "\n").compactMap { line -> (String, Double)? in
                let parts = line.split(separator: " ")
                guard parts.count == 2, parts[0].hasPrefix("fxa_sqlite_"), let value = Double(parts[1]) else { return nil }
                return (String(parts[0]), value)
            })
            let transactions = try #require(values["fxa_sqlite_transactions"])
            let commits = try #require(values["fxa_sqlite_commits"])
            #expect(transactions > 0 && commits > 0 && commits <= transactions)
        }
    }
}
