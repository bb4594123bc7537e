import FxACore
import Foundation

/// The provider's metadata and key cache, fetched on first use. A failed
/// fetch is not cached, so a provider that was down at start-up is tried
/// again on the next request.
actor DiscoveryCache {
    private let provider: FxAProvider
    private let transport: any FxAHTTPTransport
    private let clock: any WallClock
    private var cached: (metadata: ProviderMetadata, keys: JWKSCache)?

    init(provider: FxAProvider, transport: any FxAHTTPTransport, clock: any WallClock) {
        self.provider = provider
        self.transport = transport
        self.clock = clock
    }

    func metadata() async throws -> ProviderMetadata {
        try await load().metadata
    }

    func keys() async throws -> JWKSCache {
        try await load().keys
    }

    private func load() async throws -> (metadata: ProviderMetadata, keys: JWKSCache) {
        if let cached { return cached }
        let response: FxAHTTPResponse
        do {
            response = try await transport.send(FxAHTTPRequest(method: .get, url: provider.discoveryURL))
        } catch {
            throw FxAClientError.discoveryFailed(String(describing: error))
        }
        guard response.status == 200 else { throw FxAClientError.discoveryFailed("HTTP \(response.status)") }
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: response.body).validated(for: provider)
        } catch let error as FxAClientError {
            throw error
        } catch {
            throw FxAClientError.discoveryFailed("unreadable document: \(error)")
        }
        if let cached { return cached }  // another caller finished first
        let loaded = (metadata, JWKSCache(url: metadata.jwksURI, transport: transport, clock: clock))
        cached = loaded
        return loaded
    }
}
