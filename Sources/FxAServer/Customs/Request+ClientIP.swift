import Vapor

extension Request {
    /// The client's IP address, which customs counts against: the peer's,
    /// or behind a trusted reverse proxy the one its `X-Forwarded-For`
    /// names (``ClientAddressMiddleware``, ``TrustedProxies``).
    var clientIP: String? {
        storage[ClientAddressKey.self] ?? remoteAddress?.ipAddress
    }
}

/// Where ``ClientAddressMiddleware`` keeps the address it worked out.
struct ClientAddressKey: StorageKey {
    typealias Value = String
}

/// Works out each request's client address once, from the peer and, when
/// the peer is a trusted proxy, its `X-Forwarded-For`.
struct ClientAddressMiddleware: AsyncMiddleware {
    let proxies: TrustedProxies

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !proxies.ranges.isEmpty,
           let client = proxies.clientAddress(
               peer: request.remoteAddress?.ipAddress, forwardedFor: request.headers[.xForwardedFor]) {
            request.storage[ClientAddressKey.self] = client
        }
        return try await next.respond(to: request)
    }
}
