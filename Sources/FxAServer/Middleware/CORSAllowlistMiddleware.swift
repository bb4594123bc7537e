import FxACore
import Vapor

/// Cross-origin access for browser relying parties, from an exact allowlist
/// of origins: an allowed origin is echoed in `Access-Control-Allow-Origin`
/// (never `*`, never with credentials: the API authenticates with tokens,
/// not cookies), every cross-origin answer carries `Vary: Origin` so caches
/// keep them apart, and a preflight from an origin not on the list is
/// refused with FxA's error body instead of a permissive empty 200.
///
/// Only the APIs take part (``isAPI(_:)``). The pages, the authorization
/// endpoint first (RFC 9700 §2.6: the authorization endpoint must not
/// support CORS; a browser is sent there, never scripted there), and the
/// page scripts' own `/v1/web/` calls answer every origin as if it were
/// not on the list.
struct CORSAllowlistMiddleware: AsyncMiddleware {
    let allowedOrigins: Set<String>
    /// Development: every loopback origin too (``isLoopbackOrigin(_:)``).
    var allowsLoopbackOrigins = false

    /// Headers a browser client sends (Hawk and Bearer both ride in Authorization).
    static let allowedHeaders = "Authorization, Content-Type"
    static let allowedMethods = "GET, POST, DELETE, OPTIONS"
    /// Response headers scripts may read: Hawk clients correct their clock from Timestamp.
    static let exposedHeaders = "Timestamp, Retry-After, X-Request-Id"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let origin = request.headers.first(name: .origin) else {
            return try await next.respond(to: request)
        }
        let listed = allowedOrigins.contains(origin) || (allowsLoopbackOrigins && Self.isLoopbackOrigin(origin))
        let allowed = listed && Self.isAPI(request.url.path)
        let isPreflight = request.method == .OPTIONS && request.headers.first(name: .accessControlRequestMethod) != nil
        let response: Response
        if isPreflight {
            guard allowed else {
                // The developer whose front end was refused reads why here.
                request.logger.notice("CORS preflight refused", metadata: [
                    "origin": .string(origin), "path": .string(request.url.path),
                    "reason": .string(listed ? "not an API path" : "origin not in FXA_CORS_ORIGINS")])
                let refused = FxAErrorMiddleware.response(
                    for: FxAError(status: 403, errno: .auth(.unexpectedError), message: "Origin not allowed"))
                refused.headers.add(name: .vary, value: "Origin")
                return refused
            }
            response = Response(status: .noContent)
            response.headers.replaceOrAdd(name: .accessControlAllowMethods, value: Self.allowedMethods)
            response.headers.replaceOrAdd(name: .accessControlAllowHeaders, value: Self.allowedHeaders)
            response.headers.replaceOrAdd(name: .accessControlMaxAge, value: "600")
        } else {
            response = try await next.respond(to: request)
        }
        response.headers.add(name: .vary, value: "Origin")
        if allowed {
            response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: origin)
            response.headers.replaceOrAdd(name: .accessControlExpose, value: Self.exposedHeaders)
        }
        return response
    }

    /// `http://localhost[:port]`, `http://127.x.x.x[:port]` or
    /// `http://[::1][:port]`, exactly (no path, no user).
    static func isLoopbackOrigin(_ origin: String) -> Bool {
        guard let url = URLComponents(string: origin), url.scheme == "http", let host = url.host?.lowercased(),
              url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return false }
        let isIPv4Loopback = host.hasPrefix("127.") && host.split(separator: ".").count == 4
            && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return host == "localhost" || host == "[::1]" || host == "::1" || isIPv4Loopback
    }

    /// The paths a relying party's script may call from its own origin:
    /// the account, OAuth and profile APIs under `/v1/` (not the pages'
    /// `/v1/web/`), discovery, and `/metrics-flow` for an RP's email form.
    /// Judged on the path's components as the router splits them (empty
    /// ones dropped), so `/v1//web/…` is the pages' route it reaches.
    static func isAPI(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        switch components.first {
        case "v1": return components.dropFirst().first != "web"
        case ".well-known": return true
        case "metrics-flow": return components.count == 1
        default: return false
        }
    }
}
