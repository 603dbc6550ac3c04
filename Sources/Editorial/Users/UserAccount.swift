import Foundation

/// A person who may act on articles, as their stream of user events leaves them.
public struct UserAccount: Sendable, Hashable {
    /// The name they sign in and act under.
    public var name: String
    /// What they may do.
    public var role: Role
    /// A disabled user can neither sign in nor use a token until enabled again.
    public var isDisabled: Bool
    /// The lookup ids of their tokens that still work (while the user is enabled), oldest first.
    public var activeTokens: [String]
    /// When the user was added.
    public var createdAt: Date
    /// When their last event happened.
    public var updatedAt: Date
    /// The number of events in their stream.
    public var version: Int64

    /// Creates a user account in a given state.
    public init(
        name: String, role: Role, isDisabled: Bool = false, activeTokens: [String] = [], createdAt: Date,
        updatedAt: Date, version: Int64
    ) {
        self.name = name
        self.role = role
        self.isDisabled = isDisabled
        self.activeTokens = activeTokens
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// `active` or `disabled`, as lists and the API show it.
    public var state: String { isDisabled ? "disabled" : "active" }
}
