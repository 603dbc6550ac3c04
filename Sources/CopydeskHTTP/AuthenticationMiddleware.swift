import Copydesk
import Editorial
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` and puts the token's user into the context.
///
/// A token that matches no user counts against the client's address in `throttle` and is logged
/// with that address and the token's lookup id (never its secret); an address past its allowance
/// is answered 429 before its token is looked at.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CopydeskRequestContext
    let users: UserDirectory
    let throttle: FailedAuthenticationThrottle
    let clientAddresses: ClientAddressSource
    /// This node's cache of verified tokens, forgotten per user as users change.
    let changes: UserChanges

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let address = clientAddresses.address(of: request, context: context)
        if let wait = throttle.retryAfter(address) {
            throw Self.tooManyFailures(retryAfter: wait)
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw Problem.unauthorized
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let actor = try await actor(forToken: token) else {
            throttle.recordFailure(address)
            context.logger.warning(
                "authentication failed",
                metadata: ["client": .string(address), "token_id": .string(Self.lookupId(of: token))])
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
        if let actor = changes.cache.actor(forToken: token) { return actor }
        let before = changes.count
        guard let actor = try await users.actor(forToken: token) else { return nil }
        // A change heard while the database was asked may have come after the read: answer this
        // request, but do not remember what may already be stale.
        if changes.count == before { changes.cache.remember(actor, forToken: token) }
        return actor
    }

    /// The lookup id (selector) of a token shaped `cd_<selector>_<secret>`, safe to log: it finds a
    /// user but proves nothing. Anything else is logged as `malformed`, so that no secret (nor a
    /// password pasted by mistake) reaches the log.
    static func lookupId(of token: String) -> String {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cd", parts[1].count == 16,
            parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return "malformed" }
        return String(parts[1])
    }

    static func tooManyFailures(retryAfter wait: Duration) -> Problem {
        let exact = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let seconds = max(1, Int(exact.rounded(.up)))
        var problem = Problem(
            .tooManyRequests, type: "too-many-failed-authentications", title: "Too many failed authentications",
            detail: "Too many requests from your address carried a token that matches no user; "
                + "retry after \(seconds) s with a valid token.")
        problem.headers[.retryAfter] = String(seconds)
        return problem
    }
}
