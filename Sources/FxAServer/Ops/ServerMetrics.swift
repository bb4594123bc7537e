import CoreMetrics
import Prometheus

/// The process's metrics registry and the swift-metrics factory that feeds it.
///
/// Handed around at app assembly instead of bootstrapping the global
/// `MetricsSystem`, so every test app has its own registry and nothing in the
/// process is a singleton. `/metrics` renders ``registry``.
public struct ServerMetrics: Sendable {
    /// Holds every series; rendered in Prometheus text format.
    public let registry: PrometheusCollectorRegistry
    /// Create swift-metrics `Counter`/`Timer`/`Gauge` values with this.
    public let factory: any MetricsFactory

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
    }
}
