import Copydesk
import EventStore
import Hummingbird

/// The global log as Server-Sent Events: each event with its cursor as `id`, so a client that
/// reconnects with `Last-Event-ID` continues without gaps or repeats.
///
/// The stream ends when the client goes away (a write fails), when the subscription ends
/// (within a poll interval of a graceful shutdown), or as soon as `ended` says so (asked before
/// each event, and by the subscription between waits); the client then reconnects.
struct ServerSentEvents: ResponseGenerator {
    let subscription: EventSubscription
    var ended: @Sendable () -> Bool = { false }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let subscription = subscription
        let ended = ended
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for try await event in subscription {
                if ended() { break }
                let message = "id: \(event.cursor)\nevent: \(event.type)\ndata: \(FeedLine.jsonLine(event))\n\n"
                try await writer.write(ByteBuffer(string: message))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
