import Copydesk
import Editorial
import Foundation
import Hummingbird

/// The people who may act, over HTTP, for admins: list, add, change a role, disable, enable and
/// issue or revoke tokens. The domain decides who may (`UserDecider`: admins only); reading the
/// list is admin-only in the read policy. A change that takes rights away is refused on this node
/// from the next request on, and on the others as soon as they hear of it (`UserChanges`).
struct UsersController {
    let app: CopydeskApp
    let bodyLimit: Int
    let changes: UserChanges

    func addRoutes(to router: RouterGroup<CopydeskRequestContext>) {
        router.get("users") { _, _ in try await UserListResponse(users: app.users.list().map(UserBody.init)) }
        router.post("users") { request, context in try await add(request, context) }
        router.get("users/:name") { _, context in try await user(context) }
        router.post("users/:name/role") { request, context in
            let body = try await Self.body(RoleBody.self, request, bodyLimit)
            let role = try body.parsedRole()
            return try await change(context) { name, actor in
                try await app.users.changeRole(of: name, to: role, reason: body.reason, by: actor, origin: .http)
            }
        }
        router.post("users/:name/disable") { request, context in
            let body = try await Self.body(ReasonBody.self, request, bodyLimit)
            return try await change(context) { name, actor in
                try await app.users.disable(name, reason: body.reason, by: actor, origin: .http)
            }
        }
        router.post("users/:name/enable") { request, context in
            let body = try await Self.body(OptionalReasonBody.self, request, bodyLimit)
            return try await change(context) { name, actor in
                try await app.users.enable(name, reason: body.reason, by: actor, origin: .http)
            }
        }
        router.post("users/:name/tokens") { request, context in try await issueToken(request, context) }
        router.post("users/:name/tokens/:token/revoke") { request, context in
            let body = try await Self.body(OptionalReasonBody.self, request, bodyLimit)
            let token = try context.parameters.require("token")
            return try await change(context) { name, actor in
                try await app.users.revokeToken(token, of: name, reason: body.reason, by: actor, origin: .http)
            }
        }
    }

    /// `POST /users`: 201 with the user and their first token (shown only this once).
    private func add(_ request: Request, _ context: CopydeskRequestContext) async throws -> UserResponse {
        let body = try await Self.body(NewUserBody.self, request, bodyLimit)
        let token = try await app.users.add(
            name: body.name, role: try RoleBody.role(body.role), by: try context.requireActor(), origin: .http)
        guard let account = try await app.users.account(named: body.name) else { throw WorkflowError.unknownUser(body.name) }
        return UserResponse(body: UserBody(account: account, lastSeen: nil, token: token), status: .created)
    }

    private func user(_ context: CopydeskRequestContext) async throws -> UserResponse {
        let name = try context.parameters.require("name")
        guard let listing = try await app.users.listing(named: name) else {
            throw WorkflowError.userRefused(UserRefusal(.notFound, user: name, message: "no user is named \"\(name)\""))
        }
        return UserResponse(body: UserBody(listing))
    }

    /// `POST /users/{name}/tokens`: 201 with the new token (shown only this once).
    private func issueToken(_ request: Request, _ context: CopydeskRequestContext) async throws -> UserResponse {
        let body = try await Self.body(TokenBody.self, request, bodyLimit)
        let name = try context.parameters.require("name")
        let token = try await app.users.issueToken(
            to: name, revokingOthers: body.revokeOthers ?? false, by: try context.requireActor(), origin: .http)
        changes.userChanged(name)
        guard let account = try await app.users.account(named: name) else { throw WorkflowError.unknownUser(name) }
        return UserResponse(body: UserBody(account: account, lastSeen: nil, token: token), status: .created)
    }

    /// Runs a change to the user named in the path, forgets what this node cached about them
    /// (so the next request here already sees it), and answers with the account after it.
    private func change(
        _ context: CopydeskRequestContext, _ body: (String, Actor) async throws -> UserAccount
    ) async throws -> UserResponse {
        let name = try context.parameters.require("name")
        let account = try await body(name, try context.requireActor())
        changes.userChanged(name)
        return UserResponse(body: UserBody(account: account, lastSeen: nil))
    }

    private static func body<Body: Decodable & KnownFields>(_ type: Body.Type, _ request: Request, _ limit: Int)
        async throws -> Body
    {
        var request = request
        return try await JSONRequestBody.decode(type, from: &request, limit: limit)
    }
}

/// `POST /users`.
struct NewUserBody: Decodable, KnownFields {
    let name: String
    let role: String
    static let fields: [String: JSONType] = ["name": .string, "role": .string]
}

/// `POST /users/{name}/role`.
struct RoleBody: Decodable, KnownFields {
    let role: String
    let reason: String
    static let fields: [String: JSONType] = ["role": .string, "reason": .string]

    func parsedRole() throws -> Role { try Self.role(role) }

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw Problem(
                .unprocessableContent, type: "invalid-field", title: "Invalid field",
                detail: "Field \"role\" must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return role
    }
}

/// `enable` and `revoke`: an optional reason.
struct OptionalReasonBody: Decodable, KnownFields {
    let reason: String?
    static let fields: [String: JSONType] = ["reason": .string]
}

/// `POST /users/{name}/tokens`.
struct TokenBody: Decodable, KnownFields {
    let revokeOthers: Bool?
    static let fields: [String: JSONType] = ["revokeOthers": .boolean]
}

/// A user as the API shows them; `token` only in the answer that issued it.
struct UserBody: Encodable, Sendable {
    let name: String
    let role: String
    let state: String
    let createdAt: Date
    let updatedAt: Date
    let lastSeen: Date?
    let version: Int64
    let tokens: [String]
    let token: String?

    init(account: UserAccount, lastSeen: Date?, token: String? = nil) {
        name = account.name
        role = account.role.rawValue
        state = account.state
        createdAt = account.createdAt
        updatedAt = account.updatedAt
        self.lastSeen = lastSeen
        version = account.version
        tokens = account.activeTokens
        self.token = token
    }

    init(_ listing: UserListing) {
        self.init(account: listing.account, lastSeen: listing.lastSeen)
    }
}

struct UserResponse: ResponseGenerator {
    let body: UserBody
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(body, from: request, context: context)
        response.status = status
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

struct UserListResponse: ResponseGenerator {
    let users: [UserBody]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(users, from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
