import Copydesk
import EventStore
import Hummingbird

/// One page of the global log as JSON lines, with `X-Next-Cursor` naming where the page ends
/// (past any unreadable event it left out).
struct EventLines: ResponseGenerator {
    let events: [RecordedEvent]
    let nextCursor: GlobalCursor?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var text = ""
        for event in events { text += FeedLine.jsonLine(event) + "\n" }
        var headers: HTTPFields = [.contentType: "application/x-ndjson"]
        if let nextCursor { headers[.nextCursor] = nextCursor.description }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
