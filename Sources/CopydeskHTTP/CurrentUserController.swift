import Hummingbird

/// `GET /me`: who the bearer token is, so that a client (`copydesk login`, the CLI's remote mode)
/// can check a token and name its user without any other right.
struct CurrentUserController {
    func addRoutes(to router: RouterGroup<CopydeskRequestContext>) {
        router.get("me") { _, context in
            let actor = try context.requireActor()
            return CurrentUserBody(name: actor.name, role: actor.role.rawValue)
        }
    }
}

/// The answer of `GET /me`.
struct CurrentUserBody: ResponseEncodable, Sendable {
    let name: String
    let role: String
}
