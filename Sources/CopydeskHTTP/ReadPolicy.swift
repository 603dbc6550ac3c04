import Editorial
import Hummingbird

/// Who may call a route beyond holding a valid token: the API's read policy, in one table.
///
/// Every signed-in user reads articles (a newsroom's budget is shared). The audit export and the
/// global feed carry every draft's full text and every reason, so they need an editor or above;
/// the users and their tokens are for admins.
/// Commands are not listed: the decider says who may do what, and its refusal is the answer.
/// The open routes (`/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`) sit outside the
/// authenticated group and never reach this table. README shows the same policy as a table.
enum ReadPolicy {
    /// The least role for each route that needs more than a signed-in user to read it, by the
    /// route's path as the router records it (`/articles/{id}` form), for GET and HEAD (the
    /// commands on the same path, such as `POST /users`, are the domain's to refuse).
    static let minimumRoles: [String: Role] = [
        "/audit": .editor,
        "/events": .editor,
        // People's names, roles and token ids: administration, not newsroom reading.
        "/users": .admin,
        "/users/{name}": .admin,
    ]

    /// The least role `path` needs, or nil when any signed-in user may call it.
    static func minimumRole(forPath path: String?) -> Role? {
        path.flatMap { minimumRoles[$0] }
    }
}

/// Answers 403 when the signed-in user's role is below what `ReadPolicy` asks for the route;
/// runs after `AuthenticationMiddleware`, inside the authenticated group, where the route is known.
struct ReadPolicyMiddleware: RouterMiddleware {
    typealias Context = CopydeskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get || request.method == .head,
            let needed = ReadPolicy.minimumRole(forPath: context.endpointPath)
        else {
            return try await next(request, context)
        }
        let actor = try context.requireActor()
        guard actor.role >= needed else {
            var problem = Problem(
                .forbidden, type: "role-required", title: "Role required",
                detail: "\(context.endpointPath ?? request.uri.path) needs the role \(needed.rawValue) or above; "
                    + "you are signed in as \(actor.role.rawValue). An administrator assigns roles.")
            problem.extensions["requiredRole"] = .string(needed.rawValue)
            throw problem
        }
        return try await next(request, context)
    }
}
