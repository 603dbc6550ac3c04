import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Testing
import TestSupport

/// A fresh database, the application on it as the service runs it, and one user per role with
/// their bearer tokens: alice (author), erin (author), bob and dave (editors), carol (publisher).
struct HTTPFixture {
    let database: TestDatabase
    let app: CopydeskApp
    let metrics: CopydeskMetrics
    let configuration: HTTPServerConfiguration
    let tokens: [String: String]

    /// Commands happen at the times `now` returns (the system clock unless the test sets its own).
    init(
        maximumBodyBytes: Int = 2 * 1024 * 1024, feedPollInterval: Duration = .milliseconds(500),
        now: @escaping @Sendable () -> Date = { Date.now }
    ) async throws {
        database = try await TestDatabase.migrated()
        app = CopydeskApp(pool: database.servicePool(), now: now)
        metrics = CopydeskMetrics()
        configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, maximumBodyBytes: maximumBodyBytes, feedPollInterval: feedPollInterval)
        var tokens: [String: String] = [:]
        for (name, role) in Self.users {
            tokens[name] = try await app.users.add(name: name, role: role)
        }
        self.tokens = tokens
    }

    /// The fixture's users, in the order they are added (before anything else, so their events open the log).
    static let users: [(name: String, role: Role)] = [
        ("alice", .author), ("erin", .author), ("bob", .editor), ("dave", .editor), ("carol", .publisher),
    ]

    /// The types of the events adding the users wrote, in log order: each user added, then their first token.
    static let userEventTypes = users.flatMap { _ in ["UserAdded", "TokenIssued"] }

    func token(_ name: String) -> String { tokens[name]! }

    /// The HTTP application as `copydesk serve` builds it (no scheduler), listening on an
    /// ephemeral port when run `.live`.
    func application(logger: Logger = quietLogger) -> some ApplicationProtocol {
        buildApplication(app: app, configuration: configuration, logger: logger, metrics: metrics, runScheduler: false)
    }

    /// How many events the store holds, users' included, counted as the database owner.
    func eventCount() async throws -> Int {
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let count = try await owner.query("SELECT count(*)::int FROM events").first!.decode(0, as: Int.self)
        await owner.close()
        return count
    }

    /// How many events the store holds outside users' streams (articles' and any others), counted as the database owner.
    func articleEventCount() async throws -> Int {
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let count = try await owner.query("SELECT count(*)::int FROM events WHERE stream_id NOT LIKE 'user-%'").first!
            .decode(0, as: Int.self)
        await owner.close()
        return count
    }
}

/// A logger that prints nothing but keeps metadata: Hummingbird's `context.id` (used by the
/// request log) reads the request id back from the logger's metadata, which a no-op handler drops.
let quietLogger: Logger = {
    var logger = Logger(label: "copydesk-http-tests", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .critical
    return logger
}()

// MARK: - Requests

extension TestClientProtocol {
    /// Sends a request as `token`'s user (no Authorization header when nil).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil, bytes: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(string: json)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        if let bytes {
            body = ByteBuffer(bytes: bytes)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    /// Drafts an article as `token`'s user and returns its id (expects 201).
    func draft(
        token: String, title: String, lead: String = "", body: String = "", section: String = "",
        tags: [String] = [], headers: HTTPFields = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (id: String, response: TestResponse) {
        let json = try jsonText([
            "title": title, "lead": lead, "body": body, "section": section, "tags": tags,
        ])
        let response = try await send(.post, "/articles", token: token, json: json, headers: headers)
        #expect(response.status == .created, "draft: \(response.status) \(response.text)", sourceLocation: sourceLocation)
        let id = try #require(response.object["id"] as? String, sourceLocation: sourceLocation)
        return (id, response)
    }
}

/// JSON text for a request body.
func jsonText(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

extension HTTPField.Name {
    static let testRequestId = Self("X-Request-Id")!
    static let testIdempotencyKey = Self("Idempotency-Key")!
    static let testNextCursor = Self("X-Next-Cursor")!
    static let testLastEventId = Self("Last-Event-ID")!
}

// MARK: - Responses

extension TestResponse {
    var bytes: [UInt8] { Array(body.readableBytesView) }
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }

    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    /// The body as a JSON array of objects (empty when it is not one).
    var array: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [[String: Any]] ?? []
    }

    /// The body as JSON lines, one object per non-empty line.
    var jsonLines: [[String: Any]] {
        text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }
}

/// Checks that `response` is an RFC 9457 problem with `status`, a title and a detail; returns its members.
@discardableResult
func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) -> [String: Any] {
    #expect(
        response.status == status, "\(what): expected \(status.code), got \(response.status.code) \(response.text)",
        sourceLocation: sourceLocation)
    #expect(
        response.headers[.contentType]?.hasPrefix("application/problem+json") == true,
        "\(what): content type \(response.headers[.contentType] ?? "none")", sourceLocation: sourceLocation)
    let problem = response.object
    #expect(problem["status"] as? Int == Int(status.code), "\(what): problem status \(response.text)", sourceLocation: sourceLocation)
    #expect((problem["title"] as? String)?.isEmpty == false, "\(what): problem title \(response.text)", sourceLocation: sourceLocation)
    #expect((problem["detail"] as? String)?.isEmpty == false, "\(what): problem detail \(response.text)", sourceLocation: sourceLocation)
    return problem
}

/// Checks a workflow refusal's `state` and `allowed` members.
func expectRefusal(
    _ problem: [String: Any], state: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(problem["state"] as? String == state, "problem state: \(problem)", sourceLocation: sourceLocation)
    #expect(problem["allowed"] is [String], "problem allowed: \(problem)", sourceLocation: sourceLocation)
}

/// Checks `ETag` against the body's version and returns that ETag.
@discardableResult
func expectETagMatchesVersion(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    let version = response.object["version"] as? Int
    #expect(version != nil, "no version in \(response.text)", sourceLocation: sourceLocation)
    let etag = response.headers[.eTag]
    #expect(etag == version.map { "\"\($0)\"" }, "ETag \(etag ?? "none") vs version \(version.map(String.init) ?? "none")",
            sourceLocation: sourceLocation)
    return etag
}

/// The sample article in seeds/, split the way the seed format defines it.
struct SeedSample {
    let title: String
    let section: String
    let lead: String
    let body: String

    static func load() throws -> SeedSample {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds/000_5f9bf97b76e61b5f.txt")
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let dateline = lines[2]
        let section = String(dateline[..<dateline.range(of: " >> ", options: .backwards)!.lowerBound])
        return SeedSample(
            title: lines[0], section: section, lead: lines[4], body: lines[6...].joined(separator: "\n"))
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
