import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs one Security Event Token to one webhook, as FxA's broker does:
/// `Authorization: Bearer <SET>` and no body. Never follows a redirect (a
/// webhook that moved must be re-registered; a redirect to another host
/// must not receive the token).
struct WebhookSender: Sendable {
    let client: HTTPClient

    /// What the webhook did.
    enum Answer: Sendable, Equatable {
        case status(Int)
        /// No HTTP answer: refused, reset, timed out, TLS failure.
        case unreachable(String)
    }

    /// The client for calls to addresses that others chose (webhooks,
    /// push endpoints): never following a redirect, since a redirect could
    /// lead anywhere, and never decompressing what comes back.
    static func makeClient(eventLoopGroup: any EventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
    }

    /// The whole exchange must finish within `timeout`. AsyncHTTPClient's
    /// deadline covers connecting, sending and the response head; a body
    /// (rare: RPs answer 200 with nothing or a few bytes) is read under a
    /// deadline of its own, so a webhook that answers and then trickles its
    /// body cannot hold a delivery slot forever.
    func post(_ token: String, to url: String, timeout: TimeInterval) async -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Length", value: "0")
        request.headers.add(name: "User-Agent", value: "swift-fxa event broker")
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: deadline)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .unreachable("timed out after \(timeout) s")
        } catch {
            return .unreachable(Self.describe(error))
        }
        let status = Int(response.status.code)
        if response.headers.first(name: "Content-Length") != "0" {
            // Drain (up to 64 KiB) so the connection can be reused, but not past the deadline.
            let body = response.body
            let drained = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try? await body.collect(upTo: 64 * 1024)  // a larger body ends the read early; fine
                    return true
                }
                group.addTask {
                    let left = deadline - NIODeadline.now()
                    try? await Task.sleep(for: .nanoseconds(max(0, left.nanoseconds)))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !drained { return .unreachable("the response body did not finish within \(timeout) s") }
        }
        return .status(status)
    }

    /// A short, secret-free description (no token, no URL credentials).
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return String(text.prefix(200))
    }
}
