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
import Postgres

/// The desk's two busiest pages under load, signed in with a real session cookie, over
/// `DeskArticles.count` articles: `GET /desk` (the queue) and `GET /desk/articles/{id}`.
/// Beside each, the SQL that page runs, as prepared statements on the same pool size, with no
/// HTTP and no templates (`RawDeskSQL`).
enum DeskCases {
    /// Connections the server's pool holds, as in `HTTPCases`.
    static let serverPoolSize = 16

    static func run(_ database: BenchDatabase, connections: Int, for duration: Duration, progress: (String) -> Void)
        async throws -> [CaseResult]
    {
        let app = CopydeskApp(pool: database.pool(size: serverPoolSize))
        progress("desk: \(DeskArticles.count) articles through the importer, then the workflow")
        let articles = try await DeskArticles.create(app)
        let password = "bench-desk-password-\(getpid())"
        let editor = Actor(name: "bench-desk-editor", role: .editor)
        _ = try await app.users.add(
            name: editor.name, role: editor.role, by: Actor(name: "bench", role: .admin), origin: .cli)
        try await Passwords(pool: app.pool).set(
            name: editor.name, password: password, by: Actor(name: "bench", role: .admin), origin: .cli)
        try await settleForReads(database)

        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let port = try HTTPCases.freePort()
        let server = buildApplication(
            app: app, configuration: HTTPServerConfiguration(port: port), logger: logger, runScheduler: false)
        let serverTask = Task { try await server.runService(gracefulShutdownSignals: []) }
        defer { serverTask.cancel() }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        // Sign-in answers 303 with the cookie; following it without a cookie jar would lose it.
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await HTTPCases.waitUntilReady(client, port: port)
            let cookie = try await signIn(client, port: port, name: editor.name, password: password)
            try await checkPages(client, port: port, cookie: cookie, article: articles[0])
            let raw = RawDeskSQL(pool: database.pool(size: serverPoolSize), sessionCookie: cookie)
            let results = try await measurePages(
                client, port: port, cookie: cookie, articles: articles, raw: raw, connections: connections,
                for: duration, conninfo: database.ownerConninfo, progress: progress)
            try await client.shutdown()
            return results
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func measurePages(
        _ client: HTTPClient, port: Int, cookie: String, articles: [UUID], raw: RawDeskSQL, connections: Int,
        for duration: Duration, conninfo: String, progress: (String) -> Void
    ) async throws -> [CaseResult] {
        @Sendable func get(_ path: String) async throws {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.headers.add(name: "Cookie", value: "copydesk_session=\(cookie)")
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 4 << 20)
            guard response.status == .ok, body.readableBytes > 1000 else {
                throw BenchError("GET \(path) answered \(response.status) with \(body.readableBytes) bytes")
            }
        }
        // Every client reads other articles: the article page is not one hot row.
        @Sendable func article(_ client: Int, _ iteration: Int) -> UUID {
            articles[(iteration * connections + client) % articles.count]
        }
        /// Measures `operation` and says on standard error how much CPU a page took, here and in PostgreSQL.
        func timed(
            _ name: String, _ what: String,
            _ operation: @escaping @Sendable (_ client: Int, _ iteration: Int) async throws -> Void
        ) async throws -> (rate: Double, p50: Double?, p99: Double?) {
            progress("\(name): \(what), \(connections) at once")
            return try await measure(
                name, per: "page", conninfo: conninfo, clients: connections, for: duration, operation)
        }
        let rawQueue = try await timed("raw_desk_queue_sql", "the queue page's SQL alone") { _, _ in
            try await raw.queue()
        }
        let queue = try await timed("desk_queue", "GET /desk") { _, _ in try await get("/desk") }
        let rawArticle = try await timed("raw_desk_article_sql", "the article page's SQL alone") { client, iteration in
            try await raw.article(article(client, iteration))
        }
        let page = try await timed("desk_article", "GET /desk/articles/{id}") { client, iteration in
            try await get("/desk/articles/\(article(client, iteration).lowercased)")
        }
        func result(_ name: String, _ measured: (rate: Double, p50: Double?, p99: Double?), rss: Bool) -> CaseResult {
            CaseResult(
                name: name, value: measured.rate, unit: "pages/s", p50_ms: measured.p50, p99_ms: measured.p99,
                peak_rss_mb: rss ? peakResidentMegabytes() : nil)
        }
        let rawQueueResult = result("raw_desk_queue_sql", rawQueue, rss: false)
        let rawArticleResult = result("raw_desk_article_sql", rawArticle, rss: false)
        var queueResult = result("desk_queue", queue, rss: true)
        queueResult.baseline = rawQueueResult.value
        queueResult.baselineName = rawQueueResult.name
        var articleResult = result("desk_article", page, rss: true)
        articleResult.baseline = rawArticleResult.value
        articleResult.baselineName = rawArticleResult.name
        return [rawQueueResult, queueResult, rawArticleResult, articleResult]
    }

    /// Checks that the pages timed are the real ones: the queue shows the editor's turn (full: 25
    /// articles in review by others, and a note that more wait) and a first page of 25 results,
    /// the article page its text.
    private static func checkPages(_ client: HTTPClient, port: Int, cookie: String, article: UUID) async throws {
        func page(_ path: String) async throws -> String {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            request.headers.add(name: "Cookie", value: "copydesk_session=\(cookie)")
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 4 << 20)
            guard response.status == .ok else { throw BenchError("GET \(path) answered \(response.status)") }
            return String(buffer: body)
        }
        let queue = try await page("/desk")
        let items = queue.components(separatedBy: "class=\"article-item\"").count - 1
        guard items == 25 + 25, queue.contains("id=\"state-counts\""), queue.contains("rel=\"next\"") else {
            throw BenchError("GET /desk shows \(items) articles, not the 50 (your turn and a page) expected")
        }
        let text = try await page("/desk/articles/\(article.lowercased)")
        guard text.contains("id=\"article-title\""), text.contains("Бочаров") else {
            throw BenchError("GET /desk/articles/\(article.lowercased) does not show the article")
        }
    }

    /// Signs in through the sign-in form, as a browser does, and returns the session cookie's value.
    private static func signIn(_ client: HTTPClient, port: Int, name: String, password: String) async throws -> String {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/desk/sign-in")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "name=\(name)&password=\(password)&next=%2Fdesk"))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        let prefix = "copydesk_session="
        guard response.status == .seeOther,
            let cookie = response.headers["Set-Cookie"].first(where: { $0.hasPrefix(prefix) }),
            let value = cookie.dropFirst(prefix.count).split(separator: ";").first
        else { throw BenchError("POST /desk/sign-in answered \(response.status) without a session cookie") }
        return String(value)
    }

    /// Statistics for the new rows, a checkpoint, and the file system's writes, before timing reads.
    private static func settleForReads(_ database: BenchDatabase) async throws {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        try await connection.executeScript("VACUUM (ANALYZE)")
        try? await connection.executeScript("CHECKPOINT")
        await connection.close()
        sync()
    }
}
