import HTTPTypes
import Hummingbird
import Logging

/// Gives each request its id (`X-Request-Id`), echoes it, and logs one structured line per
/// request once its response body has been written (so a stream's line comes when it ends):
/// method, path, status, duration and request id. Never headers or bodies, which may carry
/// tokens and article text.
///
/// A client's id is used only when it is up to 128 of `[A-Za-z0-9._:-]`, since it is logged and
/// stored as the events' correlation id; any other is replaced by the server's own, and the line
/// says so (`request_id_replaced`) without repeating what the client sent.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = CopydeskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let sent = request.headers[.requestId]
        let usable = Self.usableId(sent)
        context.requestId = usable ?? context.requestIdentifier
        let replaced = sent != nil && usable == nil
        context.logger[metadataKey: "request_id"] = .string(context.requestId)
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestId] = context.requestId
            let status = Int(response.status.code)
            response.body = response.body.whenWritten { [context] in
                log(request, context, status: status, started: started, replaced: replaced)
            }
            return response
        } catch {
            let status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
            log(request, context, status: status, started: started, replaced: replaced)
            if var problem = error as? Problem {
                problem.headers[.requestId] = context.requestId
                throw problem
            }
            throw error
        }
    }

    private func log(
        _ request: Request, _ context: Context, status: Int, started: ContinuousClock.Instant, replaced: Bool
    ) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(status), "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
        ]
        if replaced { metadata["request_id_replaced"] = "true" }
        context.logger.info("request", metadata: metadata)
    }

    /// A client-chosen id, if it is short and plain enough to log and store: 1 to 128 of `[A-Za-z0-9._:-]`.
    static func usableId(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.count),
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else { return nil }
        return value
    }
}

extension HTTPField.Name {
    static let requestId = Self("X-Request-Id")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let lastEventId = Self("Last-Event-ID")!
    static let acceptPost = Self("Accept-Post")!
    static let acceptPatch = Self("Accept-Patch")!
}
