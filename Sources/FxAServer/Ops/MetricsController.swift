import CoreMetrics
import FxAStore
import Vapor

/// `/metrics` in Prometheus text format, registered only when the operator
/// turned it on (`--metrics`): it reveals traffic patterns, so it is off by
/// default and should be kept behind the proxy when on.
struct MetricsController: RouteCollection {
    let metrics: ServerMetrics
    /// For SQLite's group commit: transactions and the commits (fsyncs)
    /// that made them durable, read when scraped.
    let database: StoreDatabase

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: render)
    }

    @Sendable func render(_ request: Request) async throws -> Response {
        if let counts = database.groupCommitCounts {
            Gauge(label: "fxa_sqlite_transactions", factory: metrics.factory).record(Double(counts.transactions))
            Gauge(label: "fxa_sqlite_commits", factory: metrics.factory).record(Double(counts.commits))
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
}
