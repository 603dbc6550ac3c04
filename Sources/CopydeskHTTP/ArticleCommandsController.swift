import Copydesk
import Editorial
import EventStore
import Foundation
import Hummingbird
import Timestamps

/// The workflow commands over HTTP. Every rule lives in the command service; this only reads
/// requests (strictly), maps `If-Match` and `Idempotency-Key`, and writes responses.
struct ArticleCommandsController {
    let app: CopydeskApp
    let metrics: CopydeskMetrics
    let bodyLimit: Int

    func addRoutes(to router: RouterGroup<CopydeskRequestContext>) {
        router.post("articles") { request, context in try await self.draft(request, context) }
        router.patch("articles/:id") { request, context in
            try await run(EditBody.self, request, context) { .edit($0.changes, note: $0.note) }
        }
        router.post("articles/:id/submit") { request, context in
            try await run(EmptyBody.self, request, context) { _ in .submit }
        }
        router.post("articles/:id/request-changes") { request, context in
            try await run(ReasonBody.self, request, context) { .requestChanges(reason: $0.reason) }
        }
        router.post("articles/:id/approve") { request, context in
            try await run(NoteBody.self, request, context) { .approve(note: $0.note) }
        }
        router.post("articles/:id/publish") { request, context in
            try await run(PublishBody.self, request, context) { .publish(at: try $0.date()) }
        }
        router.post("articles/:id/unschedule") { request, context in
            try await run(OptionalReasonBody.self, request, context) { .unschedule(reason: $0.reason) }
        }
        router.post("articles/:id/unpublish") { request, context in
            try await run(ReasonBody.self, request, context) { .unpublish(reason: $0.reason) }
        }
        router.post("articles/:id/archive") { request, context in
            try await run(EmptyBody.self, request, context) { _ in .archive }
        }
        router.post("articles/:id/restore") { request, context in
            try await run(OptionalReasonBody.self, request, context) { .restore(reason: $0.reason) }
        }
        router.post("articles/:id/revert") { request, context in
            try await run(RevertBody.self, request, context) {
                .revert(toVersion: $0.version, content: nil, note: $0.note)
            }
        }
        router.post("articles/:id/comments") { request, context in
            try await run(CommentBody.self, request, context, status: .created) { .comment(text: $0.text) }
        }
    }

    /// `POST /articles`: 201 with `Location`, the new article and its `ETag`.
    private func draft(_ request: Request, _ context: CopydeskRequestContext) async throws -> ArticleResponse {
        var request = request
        let body = try await JSONRequestBody.decode(DraftBody.self, from: &request, limit: bodyLimit)
        let actor = try context.requireActor()
        // With an Idempotency-Key, a retry must land on the same article, so its id is derived too.
        let ids = try await commandIds(request, actor: actor)
        let article = ids?.article ?? UUID.timeOrdered()
        var response = try await execute(
            WorkflowCommand(
                article: article, actor: actor, action: .draft(id: article, content: body.content, originalDate: nil),
                commandId: ids?.command ?? .timeOrdered(), correlationId: context.requestId, origin: .http,
                requestHash: ids?.requestHash),
            kind: .draft, status: .created)
        response.location = "/articles/\(article.lowercased)"
        return response
    }

    /// Reads the route's body strictly, then runs the command it asks for on the article named
    /// in the path.
    private func run<Body: Decodable & KnownFields>(
        _ bodyType: Body.Type, _ request: Request, _ context: CopydeskRequestContext,
        status: HTTPResponse.Status = .ok, _ action: (Body) throws -> ArticleCommand.Action
    ) async throws -> ArticleResponse {
        var request = request
        let body = try await JSONRequestBody.decode(bodyType, from: &request, limit: bodyLimit)
        let action = try action(body)
        let actor = try context.requireActor()
        let article = try Self.articleId(context)
        let ids = try await commandIds(request, actor: actor)
        return try await execute(
            WorkflowCommand(
                article: article, actor: actor, action: action, expectedVersion: try Self.expectedVersion(request),
                commandId: ids?.command ?? .timeOrdered(), correlationId: context.requestId, origin: .http,
                requestHash: ids?.requestHash),
            kind: action.kind, status: status)
    }

    private func execute(_ command: WorkflowCommand, kind: CommandKind, status: HTTPResponse.Status) async throws
        -> ArticleResponse
    {
        do {
            let outcome = try await app.commands.handle(command)
            metrics.command(kind.rawValue, outcome: outcome.wasDuplicate ? "duplicate" : "ok")
            return ArticleResponse(view: ArticleView(article: outcome.article), status: status)
        } catch let error as WorkflowError {
            switch error {
            case .refused(let refusal): metrics.command(kind.rawValue, outcome: "refused-\(refusal.reason.rawValue)")
            case .conflict: metrics.command(kind.rawValue, outcome: "conflict")
            case .articleNotFound: metrics.command(kind.rawValue, outcome: "not-found")
            case .unknownUser, .invalidInput, .commandIdReused, .userRefused: metrics.command(kind.rawValue, outcome: "invalid")
            }
            throw error
        }
    }

    /// `If-Match: "N"` (as sent in `ETag`) makes the command conditional on version N.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let header = request.headers[.ifMatch] else { return nil }
        let tag = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int64(tag), version >= 0 else {
            throw Problem(
                .badRequest, type: "invalid-if-match", title: "Invalid If-Match",
                detail: "If-Match must be an ETag from a previous response, such as \"3\".")
        }
        return version
    }

    static func articleId(_ context: CopydeskRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem(.notFound, type: "not-found", title: "No such article", detail: "Article ids are UUIDs.")
        }
        return id
    }

    /// Ids derived from `Idempotency-Key` and the user, so a retried request is the same command
    /// (and, for a draft, the same article), and the request's fingerprint (its `If-Match` and
    /// body), which a retry must match; nil without the header. The body was collected by
    /// `JSONRequestBody.decode` before this reads it.
    private func commandIds(_ request: Request, actor: Actor) async throws
        -> (command: UUID, article: UUID, requestHash: [UInt8])?
    {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.count) else {
            throw Problem(
                .badRequest, type: "invalid-idempotency-key", title: "Invalid Idempotency-Key",
                detail: "Idempotency-Key must be 1 to 255 characters.")
        }
        let ids = IdempotencyKey(key: key, actor: actor.name, method: request.method.rawValue, path: request.uri.path)
        var request = request
        let body = try await request.collectBody(upTo: bodyLimit)
        let fingerprint = IdempotencyKey.requestFingerprint(
            ifMatch: request.headers[.ifMatch], body: body.readableBytesView)
        return (ids.commandId, ids.articleId, fingerprint)
    }
}
