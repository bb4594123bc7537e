import FxAClient
import Foundation
import Testing

@Suite("Provider presets")
struct FxAProviderTests {
    @Test func discoveryLivesUnderTheIssuer() {
        #expect(FxAProvider.production.discoveryURL.absoluteString == "https://accounts.firefox.com/.well-known/openid-configuration")
        #expect(FxAProvider.local.discoveryURL.absoluteString == "http://127.0.0.1:9000/.well-known/openid-configuration")
    }

    @Test func aSelfHostedIssuerWithAPathKeepsThePath() {
        let provider = FxAProvider(issuer: URL(string: "https://example.org/fxa")!)
        #expect(provider.discoveryURL.absoluteString == "https://example.org/fxa/.well-known/openid-configuration")
    }
}
