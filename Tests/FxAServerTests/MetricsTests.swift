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
}
