import AsyncHTTPClient
import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import Hummingbird
import LocalPostgres
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP API under load from an in-process client: `GET /articles/{id}` and a command endpoint.
enum HTTPCases {
    /// `readArticles`, when given, are the articles the GETs go round (a large store's, so that
    /// they read across it); otherwise every GET reads one article drafted for the purpose.
    static func run(
        _ database: BenchDatabase, connections: Int, for duration: Duration, readArticles: [UUID] = [],
        commands: Bool = true
    ) async throws -> [CaseResult] {
        let app = CopydeskApp(pool: database.pool(size: 16))
        let token = try await app.users.add(
            name: "bench-http-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", role: .editor, by: Actor(name: "bench", role: .admin), origin: .cli)
        let id = UUID()
        _ = try await app.commands.handle(WorkflowCommand(
            article: id, actor: WorkflowCases.author,
            action: .draft(id: id, content: ArticleContent(title: "HTTP bench", body: "Body"), originalDate: nil),
            origin: .cli))
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let port = try freePort()
        let server = buildApplication(
            app: app, configuration: HTTPServerConfiguration(port: port), logger: logger, runScheduler: false)
        let serverTask = Task { try await server.runService(gracefulShutdownSignals: []) }
        defer { serverTask.cancel() }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let results = try await load(
                client, port: port, token: token, conninfo: database.ownerConninfo,
                articles: readArticles.isEmpty ? [id] : readArticles,
                connections: connections, for: duration, commands: commands)
            try await client.shutdown()
            return results
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func load(
        _ client: HTTPClient, port: Int, token: String, conninfo: String, articles read: [UUID], connections: Int,
        for duration: Duration, commands: Bool
    ) async throws -> [CaseResult] {
        try await waitUntilReady(client, port: port)

        let getName = read.count > 1 ? "http_get_across" : "http_get"
        let get = try await measure(
            getName, per: "request", conninfo: conninfo, clients: connections, for: duration
        ) { client_, iteration in
            let id = read[(client_ * 7_919 + iteration * connections) % read.count]
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/articles/\(id.lowercased)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok else { throw BenchError("GET answered \(response.status)") }
        }
        let getResult = CaseResult(
            name: getName, value: get.rate, unit: "requests/s", p50_ms: get.p50, p99_ms: get.p99,
            peak_rss_mb: peakResidentMegabytes())
        guard commands else { return [getResult] }
        // Commands on one article take turns (its stream is locked), so each connection comments on its own.
        var targets: [UUID] = []
        for _ in 0..<connections { targets.append(try await draftArticle(client, port: port, token: token)) }
        let articles = targets
        let comment = try await measure(clients: connections, for: duration) { client_, iteration in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/articles/\(articles[client_].lowercased)/comments")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"text": "load \#(client_)-\#(iteration)"}"#))
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .created else { throw BenchError("POST comments answered \(response.status)") }
        }
        return [
            getResult,
            CaseResult(name: "http_command", value: comment.rate, unit: "requests/s", p50_ms: comment.p50,
                       p99_ms: comment.p99, peak_rss_mb: peakResidentMegabytes()),
        ]
    }

    private static func draftArticle(_ client: HTTPClient, port: Int, token: String) async throws -> UUID {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/articles")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"title": "HTTP bench"}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .created,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            let id = (object["id"] as? String).flatMap(UUID.init(uuidString:))
        else { throw BenchError("POST /articles answered \(response.status)") }
        return id
    }

    static func waitUntilReady(_ client: HTTPClient, port: Int) async throws {
        for _ in 0..<100 {
            if let response = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(1)),
                response.status == .ok
            { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the HTTP server did not become ready")
    }

    /// A port nothing listens on right now (bind to 0, read it, close).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw BenchError("cannot find a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
