import Hummingbird

/// `GET /desk/feed`: the global log as Server-Sent Events for desk.js, with no text at all, only
/// which article moved: position, article id, version and event type. So any signed-in user may
/// follow it (the API's full feed, with every draft's text, is for editors and above).
///
/// It starts from now (a page shows the present and only needs to hear of what comes after);
/// every open page shares the server's one follower of the log (`DeskFeedHub`).
struct DeskFeedController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("feed") { _, context in
            let user = try Desk<Context>.user(context)
            let notes = await desk.feed.listen(logger: context.logger)
            let sessions = desk.sessions
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                for await note in notes {
                    // The session is checked at every heartbeat: a page whose user signed out or was
                    // disabled stops hearing anything within one interval.
                    if note.isHeartbeat, try await sessions.user(forSession: user.sessionId) == nil { break }
                    let text = note.isHeartbeat ? ": still here\n\n" : "id: \(note.cursor)\ndata: \(note.json)\n\n"
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
        }
    }
}
