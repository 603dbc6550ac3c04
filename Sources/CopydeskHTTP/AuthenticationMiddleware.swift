import Copydesk
import Editorial
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` and puts the token's user into the context.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CopydeskRequestContext
    let users: UserDirectory
    let cache = AuthenticationCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Problem.unauthorized
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let actor = try await actor(forToken: token) else {
            var problem = Problem(
                .unauthorized, type: "invalid-token", title: "Invalid token",
                detail: "The bearer token matches no user; an administrator issues tokens.")
            problem.headers[.wwwAuthenticate] = "Bearer realm=\"copydesk\", error=\"invalid_token\""
            throw problem
        }
        var context = context
        context.actor = actor
        return try await next(request, context)
    }

    private func actor(forToken token: String) async throws -> Editorial.Actor? {
        if let actor = cache.actor(forToken: token) { return actor }
        guard let actor = try await users.actor(forToken: token) else { return nil }
        cache.remember(actor, forToken: token)
        return actor
    }
}
