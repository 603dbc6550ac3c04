import Copydesk
import Hummingbird
import Logging

/// Answers an error thrown by a desk page with an HTML page of its own (never the API's
/// problem+json): a missing article, a page refused by the read policy, a body too large, or
/// (logged, not shown) anything unexpected.
struct DeskErrorMiddleware<Context: DeskRequestContext>: RouterMiddleware {
    let templates: DeskTemplates

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as DeskPageError {
            return templates.message(error.status, title: error.title, text: error.text, user: context.deskUser)
        } catch WorkflowError.articleNotFound {
            return templates.message(
                .notFound, title: "No such article", text: "No article has this id; the desk lists the articles there are.",
                user: context.deskUser)
        } catch WorkflowError.invalidInput(let message) {
            return templates.message(.unprocessableContent, title: "Cannot show this", text: message, user: context.deskUser)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return templates.message(
                .contentTooLarge, title: "Too large", text: "What you sent is larger than the desk accepts; nothing was done.",
                user: context.deskUser)
        } catch let error as HTTPError {
            return templates.message(error.status, title: error.status.reasonPhrase, text: error.status.reasonPhrase,
                                     user: context.deskUser)
        } catch {
            context.logger.error("desk page failed: \(String(reflecting: error))")
            return templates.message(
                .internalServerError, title: "Something went wrong",
                text: "The desk could not show this page; nothing was written. Try again in a moment.",
                user: context.deskUser)
        }
    }
}

/// A desk page that cannot be shown, with the status and the words to show instead.
struct DeskPageError: Error {
    let status: HTTPResponse.Status
    let title: String
    let text: String

    static let notFound = DeskPageError(status: .notFound, title: "Not found", text: "There is no such page on the desk.")
}
