import Copydesk
import Editorial
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// The global log and the audit trail over HTTP: JSON lines (or CSV) streamed page by page, and
/// the log as Server-Sent Events that wake on NOTIFY and resume from `Last-Event-ID`.
struct FeedController {
    let app: CopydeskApp
    /// How often an SSE subscriber polls when no NOTIFY arrives.
    let pollInterval: Duration
    /// Ends a user's streams when their rights change (disabled, role, tokens).
    let changes: UserChanges

    func addRoutes(to router: RouterGroup<CopydeskRequestContext>) {
        router.get("events") { request, context in try await events(request, context) }
        router.get("audit") { request, _ in try audit(request) }
    }

    /// `GET /events?after=CURSOR&limit=N`: one page of the gap-safe log as JSON lines, or, with
    /// `Accept: text/event-stream`, the log from that point on as it grows.
    /// An event that cannot be read is left out, with a warning in the server's log naming its
    /// position and stream; the cursor moves past it.
    private func events(_ request: Request, _ context: CopydeskRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let resumeFrom = request.headers[.lastEventId] ?? query["after"].map(String.init)
        var after = GlobalCursor.start
        if let resumeFrom {
            guard let cursor = GlobalCursor(resumeFrom) else {
                throw Problem(
                    .badRequest, type: "invalid-cursor", title: "Invalid cursor",
                    detail: "`after` (or Last-Event-ID) must be a cursor from the feed, such as 1234-56.")
            }
            after = cursor
        }
        if request.headers[.accept]?.contains("text/event-stream") == true {
            // A graceful shutdown ends the stream within a poll interval; the client reconnects elsewhere.
            // So does any change to the user: their client reconnects, and is authorized afresh.
            let logger = context.logger
            let changes = changes
            let opened = changes.stamp(for: try context.requireActor().name)
            let ended: @Sendable () -> Bool = { Task.isShuttingDownGracefully || changes.hasChanged(since: opened) }
            let subscription = app.store.subscribe(
                after: after, pollInterval: pollInterval, stopWhen: ended, skipping: { Self.warn($0, logger) })
            return try ServerSentEvents(subscription: subscription, ended: ended).response(from: request, context: context)
        }
        let limit = try ArticleQueriesController.integer(request, "limit").map(Int.init) ?? 1000
        guard (1...10_000).contains(limit) else {
            throw Problem(.badRequest, type: "invalid-query", title: "Invalid query", detail: "`limit` must be 1 to 10000.")
        }
        let page = try await app.store.readLog(after: after, limit: limit)
        for skipped in page.unreadable { Self.warn(skipped, context.logger) }
        return try EventLines(events: page.events, nextCursor: page.end).response(from: request, context: context)
    }

    private static func warn(_ skipped: UnreadableEvent, _ logger: Logger) {
        logger.warning(
            "feed skipped an unreadable event",
            metadata: [
                "position": "\(skipped.position)", "stream": "\(skipped.stream)", "problem": "\(skipped.problem)",
            ])
    }

    /// `GET /audit`: every matching event, one JSON line each, or CSV with `Accept: text/csv`.
    private func audit(_ request: Request) throws -> AuditStream {
        let query = request.uri.queryParameters
        func date(_ name: String) throws -> Date? {
            guard let text = query[Substring(name)] else { return nil }
            guard let date = ISO8601.date(from: String(text)) else {
                throw Problem(
                    .badRequest, type: "invalid-query", title: "Invalid query",
                    detail: "`\(name)` must be an ISO 8601 time such as 2026-12-01T09:00:00Z.")
            }
            return date
        }
        var article: UUID?
        if let text = query["article"] {
            guard let id = UUID(uuidString: String(text)) else {
                throw Problem(.badRequest, type: "invalid-query", title: "Invalid query", detail: "`article` must be an article id.")
            }
            article = id
        }
        let filter = AuditFilter(
            actor: query["actor"].map(String.init), articleId: article, user: query["user"].map(String.init), type: query["type"].map(String.init),
            since: try date("since"), until: try date("until"))
        let csv = request.headers[.accept]?.contains("text/csv") == true
        return AuditStream(records: app.queries.audit(filter), csv: csv)
    }
}

extension HTTPField.Name {
    static let nextCursor = Self("X-Next-Cursor")!
}
