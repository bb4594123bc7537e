import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// ``FxAHTTPTransport`` over AsyncHTTPClient: bounded time per call, a
/// bounded response size, and no redirects followed (a provider endpoint
/// that redirects is a misconfiguration, and following it could send a
/// client secret to another host).
public struct AsyncHTTPClientTransport: FxAHTTPTransport {
    private let client: HTTPClient
    private let timeout: TimeAmount
    private let maximumResponseBytes: Int

    /// - Parameters:
    ///   - client: shared with the app; the caller owns its shutdown. Make it
    ///     with ``makeHTTPClient()`` so that redirects are refused.
    ///   - timeout: for the whole exchange, connect to last byte.
    public init(client: HTTPClient, timeout: Duration = .seconds(10), maximumResponseBytes: Int = 1 << 20) {
        self.client = client
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// An HTTP client configured as the kit wants one: redirects refused,
    /// connections reused, at most `readTimeout` without a byte from the
    /// provider. The caller shuts it down (`shutdown()`) when the app stops.
    public static func makeHTTPClient(readTimeout: Duration = .seconds(10)) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(max(1, readTimeout.components.seconds)))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ request: FxAHTTPRequest) async throws -> FxAHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = request.method == .get ? .GET : .POST
        outgoing.headers.add(name: "Accept", value: "application/json")
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: maximumResponseBytes)
            return FxAHTTPResponse(status: Int(response.status.code), body: Data(body.readableBytesView))
        } catch let error as FxAClientError {
            throw error
        } catch {
            throw FxAClientError.transport(String(describing: error))
        }
    }
}
