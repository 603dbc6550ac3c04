import Copydesk
import EventStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `GET /desk/feed`: the global log as Server-Sent Events for desk.js, with no text at all, only
/// which article moved: position, article id, version and event type. So any signed-in user may
/// follow it (the API's full feed, with every draft's text, is for editors and above).
struct DeskFeedController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("feed") { request, context in try await feed(request, context) }
    }

    private func feed(_ request: Request, _ context: Context) async throws -> Response {
        _ = try Desk<Context>.user(context)
        // From where the browser left off (it resends the last id when it reconnects), else from now.
        var after = request.headers[.lastEventID].flatMap(GlobalCursor.init)
        if after == nil { after = try await desk.app.store.headCursor() }
        let logger = context.logger
        let subscription = desk.app.store.subscribe(
            after: after ?? .start, pollInterval: desk.configuration.feedPollInterval,
            stopWhen: { Task.isShuttingDownGracefully },
            skipping: { logger.warning("desk feed skipped an unreadable event at \($0.position)") })
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            for try await event in subscription {
                guard let article = ArticleStream.articleId(of: event.streamId) else { continue }
                let data = "{\"position\":\(event.globalPosition),\"article\":\"\(article.lowercased)\","
                    + "\"version\":\(event.streamVersion),\"type\":\(Self.quoted(event.type))}"
                try await writer.write(ByteBuffer(string: "id: \(event.cursor)\ndata: \(data)\n\n"))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    /// An event type as a JSON string; types are identifiers, but nothing is assumed.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
