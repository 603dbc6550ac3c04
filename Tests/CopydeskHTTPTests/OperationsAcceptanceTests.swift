import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LocalPostgres
import Postgres
import Testing
import TestSupport

@Suite("HTTP acceptance: metrics and a database outage")
struct OperationsAcceptanceTests {
    @Test("GET /metrics reports requests, latency, commands by outcome, the pool and the feed lag")
    func metrics() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Метрики")
            _ = try await client.send(.get, "/articles/\(id)", token: fixture.token("alice"))
            _ = try await client.send(.post, "/articles/\(id)/publish", token: fixture.token("carol"))  // refused
            _ = try await client.send(.get, "/articles", token: nil)  // 401

            let response = try await client.send(.get, "/metrics", token: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let lines = response.text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
            func has(_ prefix: String, _ fragments: [String] = []) -> Bool {
                lines.contains { line in line.hasPrefix(prefix) && fragments.allSatisfy { line.contains($0) } }
            }
            #expect(has("copydesk_http_requests_total"), "\(response.text)")
            #expect(has("copydesk_http_requests_total{", ["status=\"201\""]), "\(response.text)")
            #expect(has("copydesk_http_requests_total{", ["status=\"401\""]), "\(response.text)")
            #expect(has("copydesk_http_request_duration_seconds_bucket"), "\(response.text)")
            #expect(has("copydesk_commands_total{", ["outcome=\"ok\"", "type=\"draft\""]), "\(response.text)")
            #expect(has("copydesk_commands_total{", ["type=\"publish\""]), "\(response.text)")
            #expect(has("copydesk_pool_connections"), "\(response.text)")
            #expect(has("copydesk_feed_lag_events"), "\(response.text)")
            // Routes are labelled by pattern, not by id.
            #expect(!response.text.contains(id), "a metric label carries an article id")
        }
    }

    @Test("with PostgreSQL down, /readyz and commands are 503 problems; when it is back, both work again")
    func databaseOutage() async throws {
        // A private cluster: stopping the shared one would disturb every other suite.
        let directory = TestCluster.privateDirectory("http-outage").appendingPathComponent("postgres")
        let cluster = LocalCluster(dataDirectory: directory)
        try await cluster.start()
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
        }
        let owner = try await Connection.connect(to: cluster.connectionURL(database: "copydesk"))
        _ = try await Migrator().migrate(on: owner)
        await owner.close()
        let pool = ConnectionPool(.init(
            conninfo: cluster.connectionURL(database: "copydesk"), maximumConnections: 4,
            setupScript: "SET ROLE \(DatabaseConfiguration.serviceRole)"))
        let app = CopydeskApp(pool: pool)
        let token = try await app.users.add(name: "alice", role: .author)
        let application = buildApplication(app: app, configuration: .init(), logger: quietLogger, runScheduler: false)

        try await application.test(.router) { client in
            #expect(try await client.send(.get, "/readyz", token: nil).status == .ok)
            let (id, _) = try await client.draft(token: token, title: "До аварии")

            try cluster.stop()
            expectProblem(try await client.send(.get, "/readyz", token: nil), .serviceUnavailable, "readyz while down")
            expectProblem(
                try await client.send(.post, "/articles", token: token, json: #"{"title": "Во время аварии"}"#),
                .serviceUnavailable, "draft while down")
            expectProblem(
                try await client.send(.post, "/articles/\(id)/submit", token: token), .serviceUnavailable,
                "submit while down")
            expectProblem(
                try await client.send(.get, "/articles/\(id)", token: token), .serviceUnavailable, "read while down")
            // The process is still serving.
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            let metricsWhileDown = try await client.send(.get, "/metrics", token: nil)
            #expect(metricsWhileDown.status == .ok, "metrics while down: \(metricsWhileDown.text)")
            #expect(metricsWhileDown.text.contains("copydesk_pool_connections"))

            try await cluster.start()
            let ready = await eventually(timeout: .seconds(20)) {
                (try? await client.send(.get, "/readyz", token: nil).status) == .ok
            }
            #expect(ready)
            let submitted = try await client.send(.post, "/articles/\(id)/submit", token: token)
            #expect(submitted.status == .ok, "\(submitted.text)")
            #expect(submitted.object["state"] as? String == "in_review")
            let drafted = try await client.send(.post, "/articles", token: token, json: #"{"title": "После аварии"}"#)
            #expect(drafted.status == .created, "\(drafted.text)")
        }
        await pool.shutdown()
    }
}
