import Copydesk
import EventStore
import Foundation
import Hummingbird

/// Open endpoints for operators and tools: liveness, readiness, metrics, the API description.
struct OperationsController {
    let app: CopydeskApp
    let metrics: CopydeskMetrics

    func addRoutes(to router: Router<CopydeskRequestContext>) {
        router.get("healthz") { _, _ in ["status": "ok"] }
        router.get("readyz") { _, _ in
            // Ready means the database answers now, as the service role the API uses.
            _ = try await app.pool.withConnection { connection in try await connection.query("SELECT 1") }
            guard let replica = app.queries.reads.replica else { return ["status": "ready"] }
            // Still ready without the replica: its reads go to the primary meanwhile.
            if let problem = await replica.problem() {
                return ["status": "ready", "reads": "primary", "replica": "unavailable: \(problem)"]
            }
            return ["status": "ready", "reads": "replica", "replica": "ok"]
        }
        router.get("metrics") { _, _ in
            let lag = try? await app.store.eventsBehindFeed()
            let text = await metrics.render(pool: app.pool, feedLag: lag)
            return EditedResponse(headers: [.contentType: "text/plain; version=0.0.4"], response: text)
        }
        router.get("openapi.yaml") { _, _ in
            EditedResponse(headers: [.contentType: "application/yaml"], response: OpenAPIDocument.yaml)
        }
    }
}

/// The API description served at `/openapi.yaml` (kept true by a test against the routes).
public enum OpenAPIDocument {
    public static let yaml: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "openapi: 3.1.0\ninfo: {title: Copydesk, version: unknown}\npaths: {}\n" }
        return text
    }()
}
