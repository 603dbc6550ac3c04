import Copydesk
import Editorial

extension Actor {
    /// The operator tests add users as, as `copydesk user add` does for whoever runs it.
    public static let testOperator = Actor(name: "root", role: .admin)
}

extension UserDirectory {
    /// Adds a user as `Actor.testOperator` from the CLI, and returns their token.
    public func add(name: String, role: Role) async throws -> String {
        try await add(name: name, role: role, by: .testOperator, origin: .cli)
    }
}
