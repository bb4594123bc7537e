import FxAServer
import Testing
import VaporTesting

@Suite("Security headers and request ids")
struct SecurityHeadersTests {
    @Test func everyResponseCarriesTheDefensiveHeaders() async throws {
        try await withTestServer { server in
            for path in ["/__heartbeat__", "/v1/jwks", "/no/such/path"] {
                try await server.app.testing().test(.GET, path) { res async throws in
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
                    #expect(res.headers.first(name: "Referrer-Policy") == "no-referrer")
                    #expect(res.headers.first(name: "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'")
                    #expect(res.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
                    #expect(res.headers.first(name: "X-Request-Id")?.isEmpty == false)
                }
            }
        }
    }

    @Test func personalResponsesAreNotCachedButPublicDocumentsAre() async throws {
        try await withTestServer { server in
            try await server.app.testing().test(.GET, "/__heartbeat__") { res async throws in
                #expect(res.headers.first(name: .cacheControl) == "no-store")
            }
            try await server.app.testing().test(.GET, "/v1/jwks") { res async throws in
                #expect(res.headers.first(name: .cacheControl) == "public, max-age=300")
            }
        }
    }

    @Test func plainHTTPDeploymentsGetNoHSTS() async throws {
        try await withTestServer(configure: { $0.publicURL = try PublicBaseURL("http://127.0.0.1:9000") }) { server in
            try await server.app.testing().test(.GET, "/__lbheartbeat__") { res async throws in
                #expect(res.headers.first(name: "Strict-Transport-Security") == nil)
            }
        }
    }

    @Test func eachRequestGetsItsOwnId() async throws {
        try await withTestServer { server in
            var ids: Set<String> = []
            for _ in 0..<3 {
                try await server.app.testing().test(.GET, "/__lbheartbeat__") { res async throws in
                    ids.insert(res.headers.first(name: "X-Request-Id") ?? "")
                }
            }
            #expect(ids.count == 3)
        }
    }
}
