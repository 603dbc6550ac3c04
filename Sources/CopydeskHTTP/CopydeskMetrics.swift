import Copydesk
import Hummingbird
import Postgres
import Prometheus

/// The service's Prometheus metrics: requests and their latency, commands by type and outcome,
/// connection pool use, and how far the global feed lags behind the newest commits.
///
/// A registry of its own (not the process-wide MetricsSystem), so every application instance,
/// and every test, counts separately.
public final class CopydeskMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    public init() {}

    /// Counts a finished request and records its latency.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            descriptor: .init(metricName: "copydesk_http_requests", unitName: "total", helpText: "HTTP requests served."),
            labels: labels
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "copydesk_http_request_duration", unitName: "seconds", helpText: "HTTP request latency."),
            labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Counts a workflow command by its type and outcome (`ok`, `duplicate`, `refused`, `conflict`, ...).
    func command(_ type: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(metricName: "copydesk_commands", unitName: "total", helpText: "Workflow commands handled."),
            labels: [("type", type), ("outcome", outcome)]
        ).increment()
    }

    /// Refreshes the gauges that are read from elsewhere, then renders every metric.
    func render(pool: ConnectionPool, feedLag: Int?) async -> String {
        let usage = await pool.usage
        let connections = MetricNameDescriptor(
            metricName: "copydesk_pool_connections", unitName: "count", helpText: "Database connections by state.")
        registry.makeGauge(descriptor: connections, labels: [("state", "open")]).set(Double(usage.open))
        registry.makeGauge(descriptor: connections, labels: [("state", "idle")]).set(Double(usage.idle))
        registry.makeGauge(descriptor: connections, labels: [("state", "waiting")]).set(Double(usage.waiting))
        if let feedLag {
            registry.makeGauge(
                descriptor: .init(
                    metricName: "copydesk_feed_lag", unitName: "events",
                    helpText: "Events committed or being written that the gap-safe feed cannot show yet."))
            .set(Double(feedLag))
        }
        return registry.emitToString()
    }
}

/// Records every request in `CopydeskMetrics`, by route pattern (not the raw path, which would
/// make one series per article), once its response body has been written: a streamed response
/// (SSE, the audit export) lasts as long as its stream.
struct MetricsRecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: CopydeskMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let (route, status) = (context.endpointPath ?? "unmatched", Int(response.status.code))
            response.body = response.body.whenWritten { [metrics] in
                metrics.request(method: method, route: route, status: status, duration: ContinuousClock.now - started)
            }
            return response
        } catch {
            // Thrown errors become small problem documents, written at once.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(
                method: method, route: context.endpointPath ?? "unmatched", status: Int(status),
                duration: ContinuousClock.now - started)
            throw error
        }
    }
}
