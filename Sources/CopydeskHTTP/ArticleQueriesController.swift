import Copydesk
import Editorial
import Foundation
import Hummingbird

/// Reading articles over HTTP: list (filtered, searched, paged), one (now or in the past), its
/// history and its diffs. Everything comes from the projections, as for the CLI.
struct ArticleQueriesController {
    let app: CopydeskApp

    func addRoutes(to router: RouterGroup<CopydeskRequestContext>) {
        router.get("articles") { request, _ in try await list(request) }
        router.get("articles/:id") { request, context in try await article(request, context) }
        router.get("articles/:id/history") { _, context in
            let id = try ArticleCommandsController.articleId(context)
            let entries = try await app.queries.history(id)
            guard !entries.isEmpty else { throw WorkflowError.articleNotFound(id) }
            return entries
        }
        router.get("articles/:id/diff") { request, context in
            let id = try ArticleCommandsController.articleId(context)
            let from = try Self.integer(request, "from")
            let to = try Self.integer(request, "to")
            guard (from == nil) == (to == nil) else {
                throw Problem(
                    .badRequest, type: "invalid-query", title: "Invalid query",
                    detail: "Give both `from` and `to` versions, or neither for the last two texts.")
            }
            return try await app.queries.diff(id, from: from, to: to)
        }
    }

    /// The page after `cursor`: `{"items": [...], "nextCursor": "..." | null}`.
    private func list(_ request: Request) async throws -> ArticlePage {
        let query = request.uri.queryParameters
        let state = query["state"].map(String.init)
        if let state, ArticleStatus(rawValue: state) == nil {
            throw Problem(
                .badRequest, type: "invalid-query", title: "Invalid query",
                detail: "Unknown state \"\(state)\"; use one of \(ArticleStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let limit = try Self.integer(request, "limit").map(Int.init) ?? 50
        guard (1...500).contains(limit) else {
            throw Problem(.badRequest, type: "invalid-query", title: "Invalid query", detail: "`limit` must be 1 to 500.")
        }
        let offset = try query["cursor"].map { try Self.offset(fromCursor: String($0)) } ?? 0
        let search = query["search"].map(String.init).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let live: Bool?
        switch query["live"].map(String.init) {
        case nil, "": live = nil
        case "true": live = true
        case "false": live = false
        case let other?:
            throw Problem(
                .badRequest, type: "invalid-query", title: "Invalid query",
                detail: "`live` must be true or false, not \"\(other)\".")
        }
        let filter = ArticleFilter(
            state: state, author: query["author"].map(String.init), section: query["section"].map(String.init),
            search: search, limit: limit + 1, offset: offset, live: live)
        var items = try await app.queries.list(filter)
        var next: String?
        if items.count > limit {
            items.removeLast()
            next = Self.cursor(forOffset: offset + limit)
        }
        return ArticlePage(items: items, nextCursor: next)
    }

    /// `GET /articles/{id}`, or as it was at `?version=N` or `?at=TIME`.
    private func article(_ request: Request, _ context: CopydeskRequestContext) async throws -> ArticleResponse {
        let id = try ArticleCommandsController.articleId(context)
        let version = try Self.integer(request, "version")
        let at = request.uri.queryParameters["at"].map(String.init)
        let view: ArticleView?
        switch (version, at) {
        case (nil, nil):
            view = try await app.queries.article(id)
        case (let version?, nil):
            view = try await app.queries.article(id, atVersion: version)
        case (nil, let at?):
            guard let instant = ISO8601.date(from: at) else {
                throw Problem(
                    .badRequest, type: "invalid-query", title: "Invalid query",
                    detail: "`at` must be an ISO 8601 time such as 2026-12-01T09:00:00Z.")
            }
            view = try await app.queries.article(id, at: instant)
        case (_?, _?):
            throw Problem(.badRequest, type: "invalid-query", title: "Invalid query", detail: "Give `version` or `at`, not both.")
        }
        guard let view else { throw WorkflowError.articleNotFound(id) }
        return ArticleResponse(view: view)
    }

    static func integer(_ request: Request, _ name: String) throws -> Int64? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw Problem(
                .badRequest, type: "invalid-query", title: "Invalid query", detail: "`\(name)` must be a whole number.")
        }
        return value
    }

    /// Cursors are opaque to clients: base64 of the position in the ordered result.
    static func cursor(forOffset offset: Int) -> String { Data("o:\(offset)".utf8).base64EncodedString() }

    static func offset(fromCursor cursor: String) throws -> Int {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("o:"), let offset = Int(text.dropFirst(2)), offset >= 0
        else {
            throw Problem(
                .badRequest, type: "invalid-cursor", title: "Invalid cursor",
                detail: "`cursor` must be a `nextCursor` from a previous page.")
        }
        return offset
    }
}

/// One page of `GET /articles`.
struct ArticlePage: ResponseEncodable {
    let items: [ArticleSummary]
    let nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor }
}

/// `GET /articles/{id}/diff` answers the diff as it is.
extension ArticleDiff: ResponseEncodable {}
