import Vapor

/// `/metrics` in Prometheus text format, registered only when the operator
/// turned it on (`--metrics`): it reveals traffic patterns, so it is off by
/// default and should be kept behind the proxy when on.
struct MetricsController: RouteCollection {
    let metrics: ServerMetrics

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: render)
    }

    @Sendable func render(_ request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
}
