/// The user on whose behalf a command runs; the domain trusts the application layer to have authenticated them.
public struct Actor: Sendable, Hashable {
    /// Whether a person or the system itself acts.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Someone signed in (a user row and its token).
        case person
        /// Copydesk acting on its own, such as the scheduler publishing what is due.
        case system
    }

    /// The user's name, as recorded in events and compared for ownership and four-eyes.
    public var name: String
    /// The user's role, which decides what they may do.
    public var role: Role
    /// A person, unless this is one of `Actor.system`.
    public var kind: Kind

    /// Creates an actor with a name and a role; a person unless `kind` says otherwise.
    public init(name: String, role: Role, kind: Kind = .person) {
        self.name = name
        self.role = role
        self.kind = kind
    }
}

extension Actor: CustomStringConvertible {
    /// The actor as shown in messages, e.g. `alice (author)`.
    public var description: String {
        "\(name.singleLine) (\(role.rawValue))"
    }
}
