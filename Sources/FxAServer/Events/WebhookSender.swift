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

    static func makeClient(eventLoopGroup: any EventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
    }

    /// The whole exchange (connect, send, status, body) must finish within
    /// `timeout`: AsyncHTTPClient's deadline stops at the response head, so a
    /// webhook that answered and then trickled its body would otherwise hold
    /// a delivery slot forever.
    func post(_ token: String, to url: String, timeout: TimeInterval) async -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Length", value: "0")
        request.headers.add(name: "User-Agent", value: "swift-fxa event broker")
        let client = client
        let prepared = request
        return await withTaskGroup(of: Answer?.self) { group in
            group.addTask {
                do {
                    let response = try await client.execute(prepared, timeout: .milliseconds(Int64(timeout * 1000)))
                    // Read (and drop) a little of the body so the connection can be reused.
                    _ = try? await response.body.collect(upTo: 64 * 1024)
                    return .status(Int(response.status.code))
                } catch let error as HTTPClientError where error == .deadlineExceeded {
                    return .unreachable("timed out after \(timeout) s")
                } catch {
                    return .unreachable(Self.describe(error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000) + 50))
                return nil  // the deadline
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .unreachable("timed out after \(timeout) s")
        }
    }

    /// A short, secret-free description (no token, no URL credentials).
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return String(text.prefix(200))
    }
}
