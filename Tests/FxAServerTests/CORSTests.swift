import FxACore
import FxAServer
import Foundation
import Testing
import Vapor

@Suite("CORS allowlist")
struct CORSTests {
    @Test func anAllowedOriginIsEchoedOnAnswersAndPreflights() async throws {
        try await withTestServer(configure: { $0.corsOrigins = ["https://rp.example"] }) { server in
            let answer = try await server.call(.POST, "/v1/get_random_bytes", headers: [("Origin", "https://rp.example")])
            #expect(answer.headers.first(name: .accessControlAllowOrigin) == "https://rp.example")
            #expect(answer.headers[.vary].contains { $0.contains("Origin") })
            #expect(answer.headers.first(name: .accessControlExpose)?.contains("Timestamp") == true)
            #expect(answer.headers.first(name: .accessControlAllowCredentials) == nil)

            let preflight = try await server.call(.OPTIONS, "/v1/token", headers: [
                ("Origin", "https://rp.example"), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type")])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers.first(name: .accessControlAllowOrigin) == "https://rp.example")
            #expect(preflight.headers.first(name: .accessControlAllowMethods)?.contains("POST") == true)
            #expect(preflight.headers.first(name: .accessControlAllowHeaders)?.contains("Authorization") == true)

            // Errors carry the headers too, so a browser client can read them.
            let error = try await server.call(.GET, "/v1/session/status", headers: [("Origin", "https://rp.example")])
            #expect(error.status == .unauthorized)
            #expect(error.headers.first(name: .accessControlAllowOrigin) == "https://rp.example")
        }
    }

    /// A front end on any local port (Vite's 5173, 3000) works in
    /// development without configuration; look-alikes do not.
    @Test func developmentAllowsEveryLoopbackOriginAndNothingThatOnlyLooksLikeOne() async throws {
        try await withTestServer(configure: { $0.corsAllowsLoopbackOrigins = true }) { server in
            for origin in ["http://localhost:5173", "http://127.0.0.1:3000", "http://[::1]:8080", "http://localhost"] {
                let preflight = try await server.call(.OPTIONS, "/v1/token", headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "POST")])
                #expect(preflight.status == .noContent, "\(origin)")
                #expect(preflight.headers.first(name: .accessControlAllowOrigin) == origin)
            }
            for origin in ["http://localhost.evil.test:5173", "http://127.0.0.1.evil.test", "https://evil.example",
                           "http://localhost:5173/path", "http://user@localhost:5173", "http://127.0.0.256"] {
                let preflight = try await server.call(.OPTIONS, "/v1/token", headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "POST")])
                #expect(preflight.status == .forbidden, "\(origin)")
            }
        }
    }

    @Test func thePagesAndTheAuthorizationEndpointNeverTakePartInCORS() async throws {
        try await withTestServer(configure: { $0.corsOrigins = ["https://rp.example"] }) { server in
            let client = try await server.registerClient()
            for path in ["/authorization?client_id=\(client.id)&scope=profile&state=s", "/settings", "/signin", "/console"] {
                let answer = try await server.call(.GET, path, headers: [("Origin", "https://rp.example")])
                #expect(answer.headers.first(name: .accessControlAllowOrigin) == nil, "\(path)")
            }
            for path in ["/v1/web/authorization", "/v1//web/authorization", "//v1/web/authorization"] {
                let preflight = try await server.call(.OPTIONS, path, headers: [
                    ("Origin", "https://rp.example"), ("Access-Control-Request-Method", "POST")])
                #expect(preflight.headers.first(name: .accessControlAllowOrigin) == nil, "\(path)")
                #expect(preflight.status == .forbidden, "\(path)")
            }
            let discovery = try await server.call(.GET, "/.well-known/openid-configuration", headers: [("Origin", "https://rp.example")])
            #expect(discovery.headers.first(name: .accessControlAllowOrigin) == "https://rp.example")
        }
    }

    @Test func otherOriginsGetNoCORSAndTheirPreflightIsRefused() async throws {
        try await withTestServer(configure: { $0.corsOrigins = ["https://rp.example"] }) { server in
            for origin in ["https://evil.example", "https://rp.example.evil.test", "http://rp.example", "null"] {
                let answer = try await server.call(.POST, "/v1/get_random_bytes", headers: [("Origin", origin)])
                #expect(answer.headers.first(name: .accessControlAllowOrigin) == nil, "\(origin)")
                let preflight = try await server.call(.OPTIONS, "/v1/token", headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "POST")])
                expectError(preflight, .forbidden, errno: 999)
                #expect(preflight.headers.first(name: .accessControlAllowOrigin) == nil)
            }
            let sameOrigin = try await server.call(.POST, "/v1/get_random_bytes")
            #expect(sameOrigin.headers.first(name: .accessControlAllowOrigin) == nil)
        }
    }

    @Test func developmentDefaultsToEveryLoopbackOriginAndProductionToNone() throws {
        let development = try ConfigurationInput().resolve(environment: [:])
        #expect(development.corsOrigins.isEmpty && development.corsAllowsLoopbackOrigins)
        let production = try ConfigurationInput().resolve(environment: ["FXA_MODE": "production", "FXA_SMTP_URL": "smtp://relay.test"])
        #expect(production.corsOrigins.isEmpty && !production.corsAllowsLoopbackOrigins)
        let configured = try ConfigurationInput(flags: [.corsOrigins: "https://a.example, https://b.example:8443"]).resolve(environment: [:])
        #expect(configured.corsOrigins == ["https://a.example", "https://b.example:8443"])
        #expect(!configured.corsAllowsLoopbackOrigins, "a list the developer gave replaces the default")
        #expect(throws: StartupError.self) { try ConfigurationInput(flags: [.corsOrigins: "https://a.example/path"]).resolve(environment: [:]) }
        #expect(throws: StartupError.self) { try ConfigurationInput(flags: [.corsOrigins: "*"]).resolve(environment: [:]) }
    }
}
