import Vapor

/// Adds the headers every response should carry unless a route chose
/// otherwise: no MIME sniffing, no framing, no referrer, a locked-down CSP
/// for API responses, `no-store` caching with `Pragma: no-cache` (tokens
/// and personal data must not land in shared caches) and HSTS when the public URL is https.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let strictTransportSecurity: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = response.headers
        func setIfAbsent(_ name: HTTPHeaders.Name, _ value: String) {
            if !headers.contains(name: name) { response.headers.replaceOrAdd(name: name, value: value) }
        }
        setIfAbsent(.xContentTypeOptions, "nosniff")
        setIfAbsent(.xFrameOptions, "DENY")
        setIfAbsent("Referrer-Policy", "no-referrer")
        setIfAbsent(.contentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
        if !headers.contains(name: .cacheControl) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            // HTTP/1.0 caches read only this (RFC 6749 §5.1 asks for both on token responses).
            response.headers.replaceOrAdd(name: .pragma, value: "no-cache")
        }
        if strictTransportSecurity {
            setIfAbsent(.strictTransportSecurity, "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
