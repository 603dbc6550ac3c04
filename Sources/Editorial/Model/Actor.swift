/// The user on whose behalf a command runs; the domain trusts the application layer to have authenticated them.
public struct Actor: Sendable, Hashable {
    /// The user's name, as recorded in events and compared for ownership and four-eyes.
    public var name: String
    /// The user's role, which decides what they may do.
    public var role: Role

    /// Creates an actor with a name and a role.
    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}

extension Actor: CustomStringConvertible {
    /// The actor as shown in messages, e.g. `alice (author)`.
    public var description: String {
        "\(name.singleLine) (\(role.rawValue))"
    }
}
