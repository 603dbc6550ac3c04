import Copydesk
// @testable for `buildRouter`, whose route list the description is checked against.
@testable import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import TestSupport
import Yams

/// Keeps `Sources/CopydeskHTTP/openapi.yaml` true: it names exactly the routes the router serves,
/// and it is what `GET /openapi.yaml` serves.
///
/// The served routes come from the router itself (`Router.routes`, which lists every path and
/// method registered in its trie, groups included), and probes check that list against real
/// requests: every described route answers something other than "no such route", and every
/// other method on those paths (and a few near-miss paths) answers exactly that.
@Suite("OpenAPI description")
struct OpenAPITests {
    @Test("the description covers every route and only those")
    func coversEveryRouteAndOnlyThose() async throws {
        let database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        let token = try await app.users.add(name: "openapi-admin", role: .admin)
        let router = buildRouter(app: app, configuration: .init(), metrics: CopydeskMetrics(), changes: UserChanges())

        // The desk's pages (under /desk, and GET / that leads there) are web pages, not API routes.
        let served = Set(
            router.routes.map { OpenAPIRoute(method: $0.method.rawValue, path: $0.path.description) }
                .filter { !Self.isDeskPage($0.path) })
        let described = try OpenAPIRoute.described(in: Self.specFile())
        #expect(!served.isEmpty)
        #expect(described.count >= 18, "the parser found too few routes: \(described.sorted())")
        let undocumented = served.subtracting(described).sorted()
        let unserved = described.subtracting(served).sorted()
        #expect(undocumented.isEmpty, "served but not in openapi.yaml: \(undocumented)")
        #expect(unserved.isEmpty, "in openapi.yaml but not served: \(unserved)")

        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options]
        let describedPaths = Set(described.map(\.path))
        let nearMisses = [
            "/articles/{id}/unknown", "/articles/{id}/history/extra", "/users", "/openapi.json", "/event",
            "/articles/{id}/comments/{id}",
        ]
        let server = buildApplication(app: app, configuration: .init(), logger: Self.logger, runScheduler: false)
        try await server.test(.router) { client in
            for route in described.sorted() {
                let method = try #require(HTTPRequest.Method(route.method))
                let response = try await client.execute(
                    uri: Self.concrete(route.path), method: method, headers: [.authorization: "Bearer \(token)"])
                #expect(!Self.isNoSuchRoute(response), "\(route) is described but answers as an unknown route")
            }
            for path in describedPaths.union(nearMisses).sorted() {
                for method in methods where !described.contains(OpenAPIRoute(method: method.rawValue, path: path)) {
                    let response = try await client.execute(
                        uri: Self.concrete(path), method: method, headers: [.authorization: "Bearer \(token)"])
                    #expect(
                        Self.isNoSuchRoute(response),
                        "\(method.rawValue) \(path) is not described but answers \(response.status.code)")
                }
            }
        }
    }

    @Test("GET /openapi.yaml serves the file, without a token")
    func servesTheFile() async throws {
        let database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        let file = try Self.specFile()
        #expect(file.hasPrefix("openapi: 3.1"))
        #expect(OpenAPIDocument.yaml == file)
        let server = buildApplication(app: app, configuration: .init(), logger: Self.logger, runScheduler: false)
        try await server.test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(String(buffer: response.body) == file)
            }
        }
    }

    @Test("the route reader takes the HTTP methods under each path, nothing else")
    func reader() throws {
        let yaml = """
            openapi: 3.1.0
            paths:
              /a:
                parameters:
                  - name: x
                get:
                  responses:
                    "200": {description: ok}
                    post: {not: a method}
                post: {}
              "/b/{id}": {delete: {description: "get: not a method either"}}
            components:
              schemas:
                get: {}
            """
        #expect(
            try OpenAPIRoute.described(in: yaml)
                == [.init(method: "GET", path: "/a"), .init(method: "POST", path: "/a"),
                    .init(method: "DELETE", path: "/b/{id}")])
        #expect(throws: (any Error).self) { try OpenAPIRoute.described(in: "openapi: 3.1.0\ninfo: {}\n") }
    }

    // MARK: - Helpers

    /// The description as checked in, read from the source tree.
    static func specFile() throws -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CopydeskHTTP/openapi.yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Whether a served path is one of the desk's pages rather than an API route.
    static func isDeskPage(_ path: String) -> Bool {
        path == "/" || path == "/desk" || path.hasPrefix("/desk/")
    }

    /// A request path for a route pattern: every `{parameter}` filled with a fresh UUID.
    static func concrete(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? UUID().uuidString.lowercased() : String($0) }
            .joined(separator: "/")
    }

    /// The router's answer when no route matches the path and method: 404 (or 405) with the
    /// problem type `http-404` (`http-405`), as opposed to a route's own 404 for an unknown article.
    static func isNoSuchRoute(_ response: TestResponse) -> Bool {
        guard response.status == .notFound || response.status == .methodNotAllowed else { return false }
        let body = String(buffer: response.body)
        return body.contains("\"https://copydesk.dev/problems/http-\(response.status.code)\"")
    }

    static let logger: Logger = {
        var logger = Logger(label: "openapi-tests", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .critical
        return logger
    }()
}

/// One operation: an HTTP method and a path pattern in OpenAPI form (`/articles/{id}`).
struct OpenAPIRoute: Hashable, Comparable, CustomStringConvertible {
    let method: String
    let path: String

    var description: String { "\(method) \(path)" }

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The operations in an OpenAPI YAML document: under `paths`, each path's keys that are HTTP methods.
    static func described(in yaml: String) throws -> Set<OpenAPIRoute> {
        guard let paths = try Yams.compose(yaml: yaml)?["paths"]?.mapping else {
            throw OpenAPIReadError(description: "the document has no paths")
        }
        var routes: Set<OpenAPIRoute> = []
        for (path, item) in paths {
            guard let path = path.string, let operations = item.mapping else { continue }
            for key in operations.keys.compactMap(\.string) where methods.contains(key) {
                routes.insert(OpenAPIRoute(method: key.uppercased(), path: path))
            }
        }
        return routes
    }
}

/// The description could not be read as OpenAPI.
struct OpenAPIReadError: Error, CustomStringConvertible {
    let description: String
}
