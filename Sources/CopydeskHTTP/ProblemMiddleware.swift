import Copydesk
import Editorial
import EventStore
import Hummingbird
import Logging
import Postgres

/// Turns every error a route throws into a `Problem`, so clients only ever see problem+json:
/// workflow refusals, conflicts, bad input, an unavailable database, and (logged, not shown)
/// anything unexpected.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // PostgreSQL text cannot hold NUL: refuse it up front, before any streamed response starts.
        if request.uri.queryParameters.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) {
            throw Problem(
                .badRequest, type: "invalid-query", title: "Invalid query",
                detail: "Query parameters must not contain NUL characters.")
        }
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as WorkflowError {
            throw Self.problem(for: error, conditional: request.headers[.ifMatch] != nil)
        } catch let error as PostgresError where error.isUnavailable {
            throw Problem(
                .serviceUnavailable, type: "database-unavailable", title: "Database unavailable",
                detail: "PostgreSQL cannot be reached right now; nothing was written. Retry shortly.")
        } catch let error as PostgresError where error.kind == .unsendableValue {
            // Other invalid values are a result the server could not read: an internal error, below.
            throw Problem(
                .badRequest, type: "invalid-value", title: "Invalid value",
                detail: "A value in the request contains a NUL character, which cannot be stored; nothing was written.")
        } catch let error as MigrationError {
            context.logger.error("schema not ready: \(error)")
            throw Problem(
                .serviceUnavailable, type: "schema-not-ready", title: "Database schema not ready",
                detail: "The database schema is older than this server; an operator must migrate it. "
                    + "Nothing was written.")
        } catch let error as HTTPResponseError {
            throw Problem(
                error.status, type: "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: Self.detail(for: error.status))
        } catch {
            context.logger.error("unexpected error: \(String(reflecting: error))")
            throw Problem(
                .internalServerError, type: "internal-error", title: "Internal error",
                detail: "Something unexpected went wrong; nothing was written. The request id is \(context.logger[metadataKey: "request_id"]?.description ?? "unknown").")
        }
    }

    /// The problem for a workflow error, worded for API clients: routes, `If-Match` and ETags,
    /// never the command line's commands or flags.
    static func problem(for error: WorkflowError, conditional: Bool) -> Problem {
        switch error {
        case .refused(let refusal):
            var problem: Problem
            switch refusal.reason {
            case .roleTooLow, .notOwnArticle, .fourEyes:
                problem = Problem(.forbidden, type: refusal.reason.rawValue, title: "Not allowed", detail: refusal.description)
            case .wrongState, .alreadyExists, .notDueYet, .notFound:
                problem = Problem(.conflict, type: refusal.reason.rawValue, title: "Not allowed in this state", detail: refusal.description)
            case .reasonRequired, .nothingToChange, .invalidContent, .notInFuture:
                problem = Problem(.unprocessableContent, type: refusal.reason.rawValue, title: "Invalid command", detail: refusal.description)
            case .overLimit:
                problem = Problem(.unprocessableContent, type: refusal.reason.rawValue, title: "Over a limit", detail: refusal.description)
            }
            if let limit = refusal.limit {
                problem.extensions["field"] = .string(limit.field)
                problem.extensions["limit"] = .int(limit.maximum)
            }
            if let status = refusal.status { problem.extensions["state"] = .string(status.rawValue) }
            problem.extensions["allowed"] = .strings(refusal.allowed.map(\.rawValue))
            return problem
        case .conflict(let article, let expected, let actual):
            let url = "/articles/\(article.lowercased)"
            var problem =
                conditional
                ? Problem(
                    .preconditionFailed, type: "stale-version", title: "Precondition failed",
                    detail: "The article is at version \(actual), not the version \(expected) that If-Match names; "
                        + "nothing was written. GET \(url) for the current text and its ETag, "
                        + "then retry with If-Match: \"\(actual)\".")
                : Problem(
                    .conflict, type: "version-conflict", title: "Version conflict",
                    detail: "The article kept changing while this request was carried out (it is at version "
                        + "\(actual) now); nothing was written. Send the request again.")
            problem.extensions["currentVersion"] = .int(Int(actual))
            problem.headers[.eTag] = "\"\(actual)\""
            return problem
        case .articleNotFound(let id):
            return Problem(
                .notFound, type: "not-found", title: "No such article",
                detail: "No article has the id \(id.lowercased); GET /articles lists the articles there are.")
        case .unknownUser(let name):
            return Problem(
                .unauthorized, type: "unknown-user", title: "Unknown user",
                detail: "No user is named \"\(name)\"; an administrator adds users.")
        case .userRefused(let refusal):
            let detail = refusal.description
            var problem: Problem
            switch refusal.reason {
            case .notFound:
                problem = Problem(
                    .notFound, type: refusal.reason.rawValue, title: "No such user",
                    detail: detail + "; GET /users lists the users there are.")
            case .roleTooLow, .ownAccount:
                problem = Problem(.forbidden, type: refusal.reason.rawValue, title: "Not allowed", detail: detail)
            case .alreadyExists, .disabled, .nothingToChange:
                problem = Problem(
                    .conflict, type: refusal.reason.rawValue, title: "Not allowed in this state", detail: detail)
            case .invalidName, .reserved, .reasonRequired, .unknownToken, .overLimit, .invalidContent:
                problem = Problem(
                    .unprocessableContent, type: refusal.reason.rawValue, title: "Invalid command", detail: detail)
            }
            problem.extensions["user"] = .string(refusal.user)
            return problem
        case .invalidInput(let message):
            return Problem(.unprocessableContent, type: "invalid-input", title: "Invalid input", detail: message)
        case .commandIdReused:
            return Problem(
                .unprocessableContent, type: "invalid-input", title: "Invalid input",
                detail: "This Idempotency-Key was already used for a different request to this URL, whose result "
                    + "stands; nothing was written. Send a new request with a new key, "
                    + "or repeat the first request exactly.")
        }
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "There is no such route; GET /openapi.yaml describes the API."
        case 405: "This route does not accept that method; GET /openapi.yaml describes the API."
        case 413: "The request body is larger than this server accepts; nothing was written."
        default: status.reasonPhrase
        }
    }
}
