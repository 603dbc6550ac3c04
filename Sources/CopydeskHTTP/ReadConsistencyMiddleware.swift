import Copydesk
import HTTPTypes
import Hummingbird

/// Read your writes when queries are served by a streaming replica (`COPYDESK_READ_DATABASE_URL`).
///
/// A response to a request whose command committed carries the commit's position in the
/// write-ahead log (`Copydesk-Position: 0/16B3F28`); a request that brings it back in the same
/// header is read from the replica only once it has replayed that far (waiting at most half a
/// second), else from the primary. Without a replica the header is still sent, and harmless.
struct ReadConsistencyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let brought = try request.headers[.copydeskPosition].map { text in
            guard let position = WALPosition(text) else {
                throw Problem(
                    .badRequest, type: "invalid-position", title: "Invalid Copydesk-Position",
                    detail: "Copydesk-Position must be a position as a command's response gives it, such as 0/16B3F28; "
                        + "got \"\(text.prefix(64))\". Send it back as it came, or leave it out.")
            }
            return position
        }
        return try await ReadConsistency.answering(after: brought) { try await next(request, context) } respond: {
            response, position in response.headers[.copydeskPosition] = position.description
        }
    }
}

extension HTTPField.Name {
    static let copydeskPosition = Self("Copydesk-Position")!
}
