import Copydesk
import Hummingbird
import Logging
import Postgres

/// Answers an error thrown by a desk page with an HTML page of its own (never the API's
/// problem+json): a missing article, a page refused by the read policy, a body too large, an
/// unreachable database, or (logged, not shown) anything unexpected.
struct DeskErrorMiddleware<Context: DeskRequestContext>: RouterMiddleware {
    let desk: Desk<Context>

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as DeskPageError {
            return desk.message(error.status, title: error.title, text: error.text, user: context.deskUser)
        } catch WorkflowError.articleNotFound {
            return desk.message(
                .notFound, title: "No such article",
                text: "No article has this id; the desk lists the articles there are.",
                user: context.deskUser)
        } catch WorkflowError.invalidInput(let message) {
            return desk.message(.unprocessableContent, title: "Cannot show this", text: message, user: context.deskUser)
        } catch let error as PostgresError where error.isUnavailable {
            return desk.message(
                .serviceUnavailable, title: "Database unavailable",
                text: "The database cannot be reached right now; nothing was written. Try again in a moment.",
                user: context.deskUser)
        } catch let error as MigrationError {
            context.logger.error("schema not ready: \(error)")
            return desk.message(
                .serviceUnavailable, title: "Not ready",
                text: "The database is older than this server; an operator must migrate it. Nothing was written.",
                user: context.deskUser)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return desk.message(
                .contentTooLarge, title: "Too large",
                text: "What you sent is larger than the desk accepts; nothing was done.",
                user: context.deskUser)
        } catch let error as HTTPError {
            return desk.message(
                error.status, title: error.status.reasonPhrase, text: error.status.reasonPhrase,
                user: context.deskUser)
        } catch {
            context.logger.error("desk page failed: \(String(reflecting: error))")
            return desk.message(
                .internalServerError, title: "Something went wrong",
                text: "The desk could not show this page; nothing was written. Try again in a moment.",
                user: context.deskUser)
        }
    }
}
