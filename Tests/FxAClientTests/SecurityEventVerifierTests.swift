@testable import FxAClient
import FxACore
import Foundation
import Testing

@Suite("Webhook Security Event Tokens")
struct SecurityEventVerifierTests {
    private func setClaims(_ provider: FakeProvider, jti: String = UUID().uuidString, events: [String: Any]) -> [String: Any] {
        ["iss": FakeProvider.issuer, "aud": FakeProvider.clientID, "sub": "u1",
         "iat": provider.clock.now().timeIntervalSince1970, "jti": jti, "events": events]
    }

    private func verifier(_ provider: FakeProvider) async throws -> SecurityEventVerifier {
        try await provider.client().securityEventVerifier(seen: InMemorySeenTokenStore(clock: { provider.clock.now() }))
    }

    @Test func everyFxAEventTypeDecodesTyped() async throws {
        let provider = try FakeProvider()
        let verifier = try await verifier(provider)
        let token = try provider.sign(setClaims(provider, events: [
            SecurityEventURI.passwordChange: ["changeTime": 1_700_000_000_500],
            SecurityEventURI.profileChange: ["email": "new@example.test"],
            SecurityEventURI.deleteUser: [String: Any](),
            SecurityEventURI.subscriptionStateChange: ["capabilities": ["cap1"], "isActive": true, "changeTime": 1_700_000_000_000],
            SecurityEventURI.named("metrics-opt-out"): [String: Any](),
            SecurityEventURI.named("brand-new"): [String: Any](),
        ]))
        let event = try await verifier.verify(authorizationHeader: "Bearer " + token)
        #expect(event.uid == "u1")
        #expect(event.events.contains(.passwordChange(changeTime: Date(timeIntervalSince1970: 1_700_000_000.5))))
        #expect(event.events.contains(.profileChange(.init(email: "new@example.test"))))
        #expect(event.events.contains(.deleteUser))
        #expect(event.events.contains(.subscriptionStateChange(
            capabilities: ["cap1"], isActive: true, changeTime: Date(timeIntervalSince1970: 1_700_000_000))))
        #expect(event.events.contains(.metricsOptOut))
        #expect(event.events.contains(.unknown(uri: SecurityEventURI.named("brand-new"))))
    }

    @Test func aSETForAnotherClientIsRefused() async throws {
        let provider = try FakeProvider()
        var claims = setClaims(provider, events: [SecurityEventURI.deleteUser: [String: Any]()])
        claims["aud"] = "fedcba9876543210"
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.wrongAudience)) {
            try await verifier(provider).verify(token: try provider.sign(claims))
        }
    }

    @Test func aReplayedJTIIsRefusedUntilReleased() async throws {
        let provider = try FakeProvider()
        let verifier = try await verifier(provider)
        let token = try provider.sign(setClaims(provider, jti: "jti-1", events: [SecurityEventURI.deleteUser: [String: Any]()]))
        _ = try await verifier.verify(token: token)
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.replayed)) { try await verifier.verify(token: token) }
        // A handler that failed releases the jti so the provider's retry passes.
        try await verifier.release("jti-1")
        _ = try await verifier.verify(token: token)
    }

    @Test func staleAndFutureIssuedAtAreRefused() async throws {
        let provider = try FakeProvider()
        let verifier = try await verifier(provider)
        var stale = setClaims(provider, events: [SecurityEventURI.deleteUser: [String: Any]()])
        stale["iat"] = provider.clock.now().timeIntervalSince1970 - 601
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.issuedAtOutOfRange)) {
            try await verifier.verify(token: try provider.sign(stale))
        }
        var future = stale
        future["iat"] = provider.clock.now().timeIntervalSince1970 + 120
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.issuedAtOutOfRange)) {
            try await verifier.verify(token: try provider.sign(future))
        }
    }

    @Test func forgedIssuerSignatureAndHeaderAreRefused() async throws {
        let provider = try FakeProvider()
        let verifier = try await verifier(provider)
        var claims = setClaims(provider, events: [SecurityEventURI.deleteUser: [String: Any]()])
        claims["iss"] = "https://evil.test"
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.wrongIssuer)) {
            try await verifier.verify(token: try provider.sign(claims))
        }
        let good = setClaims(provider, events: [SecurityEventURI.deleteUser: [String: Any]()])
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.badSignature)) {
            try await verifier.verify(token: try provider.sign(good, key: try FakeProvider.makeKey("key-1")))
        }
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.missingBearer)) {
            try await verifier.verify(authorizationHeader: "Basic abc")
        }
        await #expect(throws: FxAClientError.invalidSecurityEventToken(.malformed)) {
            try await verifier.verify(token: "a.b")
        }
    }
}
