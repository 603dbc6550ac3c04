import Copydesk
import Hummingbird

/// The desk's read-your-writes across a streaming replica: the browser keeps the position of the
/// last commit it caused in a cookie (`copydesk_position`), so the page it is sent to after a
/// command shows that command even when a replica serves the reads (see `ReadConsistency`).
struct DeskReadConsistencyMiddleware<Context: DeskRequestContext>: RouterMiddleware {
    let secure: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        // A cookie that does not parse is ignored: the browser holds what this server wrote.
        let brought = DeskCookies.value(DeskCookies.position, in: request).flatMap { WALPosition($0) }
        return try await ReadConsistency.answering(after: brought) { try await next(request, context) } respond: {
            response, position in
            response.headers.append(.init(name: .setCookie, value: DeskCookies.positionCookie(position, secure: secure)))
        }
    }
}
