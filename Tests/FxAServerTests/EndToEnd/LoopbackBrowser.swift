import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A browser for end-to-end tests over real HTTP: one cookie jar per
/// host:port (as a browser keeps cookies per site; 127.0.0.1 ports are
/// different apps here), redirects taken one at a time so a test can stop
/// and act at any step.
final class LoopbackBrowser: @unchecked Sendable {
    struct Page {
        let status: Int
        let headers: HTTPHeaders
        let body: String
        let url: URL

        var location: URL? { headers.first(name: "Location").flatMap { URL(string: $0, relativeTo: url)?.absoluteURL } }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    private let client: HTTPClient
    private var jars: [String: [String: String]] = [:]
    private let lock = NSLock()

    init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async throws { try await client.shutdown() }

    /// A cookie this browser holds for the site of `url`.
    func cookie(_ name: String, for url: URL) -> String? {
        lock.withLock { jars[Self.site(url)]?[name] }
    }

    /// Plants a cookie, as an attacker who can set cookies for the site would.
    func setCookie(_ name: String, _ value: String, for url: URL) {
        lock.withLock { jars[Self.site(url), default: [:]][name] = value }
    }

    private static func site(_ url: URL) -> String { "\(url.host ?? ""):\(url.port ?? 80)" }

    func get(_ url: URL) async throws -> Page { try await send(.GET, url) }

    /// Posts a form.
    func post(_ url: URL, form: [String: String]) async throws -> Page {
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return try await send(.POST, url, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Follows redirects from `url` while they stay on `host:port`s in
    /// `within`, returning the first page that is not a redirect there.
    func follow(_ url: URL, maximum: Int = 5) async throws -> Page {
        var page = try await get(url)
        for _ in 0..<maximum {
            guard (300..<400).contains(page.status), let next = page.location else { return page }
            page = try await get(next)
        }
        return page
    }

    private func send(_ method: HTTPMethod, _ url: URL, body: String? = nil, contentType: String? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        let site = Self.site(url)
        let cookies = lock.withLock { jars[site] ?? [:] }
        if !cookies.isEmpty {
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            request.headers.add(name: "Content-Type", value: contentType ?? "text/plain")
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        lock.withLock {
            for header in response.headers[canonicalForm: "Set-Cookie"] {
                let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
                let expired = pair[1].isEmpty || header.contains("Max-Age=0") || header.contains("1970")
                if expired { jars[site, default: [:]][name] = nil } else { jars[site, default: [:]][name] = String(pair[1]) }
            }
        }
        return Page(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes), url: url)
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
