import Copydesk
import Foundation
import Hummingbird

/// Signing in with name and password, and signing out. Wrong passwords count against the client's
/// address in the same throttle as the API's wrong tokens.
struct SignInController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    /// The model of `sign-in.mustache`.
    struct SignInPage {
        let page: PageChrome
        let next: String
        let name: String
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("sign-in") { request, _ in
            let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
            return desk.templates.page("sign-in", SignInPage(page: desk.chrome("Sign in", nil), next: next, name: ""))
        }
        group.post("sign-in") { request, context in try await signIn(request, context) }
    }

    func addSignOut(to group: RouterGroup<Context>) {
        group.post("sign-out") { _, context in
            let user = try Desk<Context>.user(context)
            try await desk.sessions.close(user.sessionId)
            return DeskTemplates.redirect(
                "/desk/sign-in",
                headers: [.setCookie: DeskCookies.expiredSessionCookie(secure: desk.configuration.secureCookies)])
        }
    }

    private func signIn(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = DeskForm.urlEncoded(String(decoding: body.readableBytesView, as: UTF8.self))
        let next = Self.safeNext(form["next"])
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let address = desk.configuration.clientAddress(request, context)
        if let wait = desk.configuration.throttle.retryAfter(address) {
            let seconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
            var response = desk.templates.page(
                "sign-in",
                SignInPage(
                    page: desk.chrome(
                        "Sign in", nil,
                        error: "Too many failed sign-ins from your address; wait \(seconds) s and try again."),
                    next: next, name: name),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        guard let actor = try await desk.passwords.verify(name: name, password: form["password"] ?? "") else {
            desk.configuration.throttle.recordFailure(address)
            context.logger.warning("desk sign-in failed", metadata: ["client": .string(address)])
            var refused = desk.templates.page(
                "sign-in",
                SignInPage(page: desk.chrome("Sign in", nil, error: "Wrong name or password."), next: next, name: name),
                status: .unauthorized)
            if let old = DeskCookies.value(DeskCookies.session, in: request) {
                // Whoever held that session is not signed in any more, whatever it was.
                try await desk.sessions.close(old)
                refused.headers[.setCookie] = DeskCookies.expiredSessionCookie(secure: desk.configuration.secureCookies)
            }
            return refused
        }
        // A new session id at every sign-in: an id planted in the browser before cannot be taken over.
        if let old = DeskCookies.value(DeskCookies.session, in: request) { try await desk.sessions.close(old) }
        let id = try await desk.sessions.open(for: actor)
        return DeskTemplates.redirect(
            next, headers: [.setCookie: DeskCookies.sessionCookie(id, secure: desk.configuration.secureCookies)])
    }

    /// Where to go after signing in: a desk path only, never another site (`//host`, `https://`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/desk"), !next.hasPrefix("//"),
            !next.contains("\\"), !next.contains("\r"), !next.contains("\n")
        else { return "/desk" }
        return next
    }
}
