import Copydesk
import Foundation
import Hummingbird

/// Puts the user of the request's session cookie into the context; a request without a live
/// session is sent to the sign-in page (303), which brings it back here afterwards.
struct DeskSessionMiddleware<Context: DeskRequestContext>: RouterMiddleware {
    let sessions: DeskSessions
    /// Whether the session cookie is `Secure` (the server sits behind TLS).
    let secure: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let cookie = DeskCookies.value(DeskCookies.session, in: request)
        guard let id = cookie, let actor = try await sessions.user(forSession: id) else {
            // After signing in, a GET comes back to where it was; a POST's form is gone, so to the desk.
            let back = request.method == .get ? request.uri.description : "/desk"
            let next = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/desk"
            // A cookie of a session that ended (signed out, expired, user disabled) is forgotten too.
            let forget: HTTPFields =
                cookie == nil ? [:] : [.setCookie: DeskCookies.expiredSessionCookie(secure: secure)]
            return DeskTemplates.redirect("/desk/sign-in?next=\(next)", headers: forget)
        }
        var context = context
        context.deskUser = DeskUser(actor: actor, sessionId: id)
        return try await next(request, context)
    }
}
