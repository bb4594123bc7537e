import CoreMetrics
import Foundation
import Vapor

/// Logs one line per request and records the request counter and latency
/// histogram, both labelled by route pattern (never the raw path, which
/// would carry ids and explode metric cardinality).
///
/// The query string is never logged: OAuth callbacks and some FxA routes
/// carry codes and tokens there. The request id is echoed as
/// `X-Request-Id` so a user's report can be matched to the log line.
struct RequestObservationMiddleware: AsyncMiddleware {
    let metrics: ServerMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let method = request.method.rawValue
        let status = String(response.status.code)

        response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
        let dimensions = [("method", method), ("route", route), ("status", status)]
        Counter(label: "fxa_http_requests_total", dimensions: dimensions, factory: metrics.factory).increment()
        Timer(label: "fxa_http_request_duration_seconds", dimensions: [("method", method), ("route", route)],
              factory: metrics.factory).recordNanoseconds(elapsed.nanoseconds)

        request.logger.info("request", metadata: [
            "method": .string(method),
            // A matched route logs its pattern only: a parameter may be
            // sensitive (a recovery key's fingerprint). Unmatched paths are
            // logged as sent, to see what clients ask for.
            "path": .string(request.route == nil ? request.url.path : route),
            "route": .string(route),
            "status": .string(status),
            "ms": .string(String(format: "%.1f", Double(elapsed.nanoseconds) / 1e6)),
        ])
        return response
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : total &+ attoseconds / 1_000_000_000
    }
}
