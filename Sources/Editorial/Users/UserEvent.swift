import Foundation

/// Something that happened to a user's account: how people come to hold rights, and lose them.
public enum UserEvent: Sendable, Hashable {
    /// The user was added with a role.
    case added(UserAdded)
    /// An administrator gave the user another role.
    case roleChanged(UserRoleChanged)
    /// The user may no longer sign in or use tokens.
    case disabled(UserDisabled)
    /// A disabled user may act again.
    case enabled(UserEnabled)
    /// A new API token was issued (only its lookup id is recorded; the secret is never stored).
    case tokenIssued(TokenIssued)
    /// A token stopped working.
    case tokenRevoked(TokenRevoked)

    /// The version of the payload layout; bump it (and teach `decode` the old one) on change.
    public static let schemaVersion = 1

    /// Every stored type name.
    public static let typeNames = [
        "UserAdded", "UserRoleChanged", "UserDisabled", "UserEnabled", "TokenIssued", "TokenRevoked",
    ]

    /// The name stored in the event's `type` column.
    public var typeName: String {
        switch self {
        case .added: "UserAdded"
        case .roleChanged: "UserRoleChanged"
        case .disabled: "UserDisabled"
        case .enabled: "UserEnabled"
        case .tokenIssued: "TokenIssued"
        case .tokenRevoked: "TokenRevoked"
        }
    }

    /// The audit log's word for the step: `add-user`, `change-role`, ...
    public var action: String {
        switch self {
        case .added: "add-user"
        case .roleChanged: "change-role"
        case .disabled: "disable-user"
        case .enabled: "enable-user"
        case .tokenIssued: "issue-token"
        case .tokenRevoked: "revoke-token"
        }
    }

    /// Who did it.
    public var by: String {
        switch self {
        case .added(let e): e.by
        case .roleChanged(let e): e.by
        case .disabled(let e): e.by
        case .enabled(let e): e.by
        case .tokenIssued(let e): e.by
        case .tokenRevoked(let e): e.by
        }
    }

    /// When.
    public var at: Date {
        switch self {
        case .added(let e): e.at
        case .roleChanged(let e): e.at
        case .disabled(let e): e.at
        case .enabled(let e): e.at
        case .tokenIssued(let e): e.at
        case .tokenRevoked(let e): e.at
        }
    }

    /// The reason given, if the step takes one.
    public var reason: String? {
        switch self {
        case .roleChanged(let e): e.reason
        case .disabled(let e): e.reason
        case .enabled(let e): e.reason
        case .tokenRevoked(let e): e.reason
        case .added, .tokenIssued: nil
        }
    }

    /// What the step changed, as the audit log lists it.
    public var changed: [String] {
        switch self {
        case .added: ["role", "state"]
        case .roleChanged: ["role"]
        case .disabled, .enabled: ["state"]
        case .tokenIssued, .tokenRevoked: ["tokens"]
        }
    }
}

/// A user was added.
public struct UserAdded: Codable, Sendable, Hashable {
    public var name: String
    public var role: Role
    public var by: String
    public var at: Date

    public init(name: String, role: Role, by: String, at: Date) {
        self.name = name
        self.role = role
        self.by = by
        self.at = at
    }
}

/// A user's role changed.
public struct UserRoleChanged: Codable, Sendable, Hashable {
    public var from: Role
    public var to: Role
    public var reason: String
    public var by: String
    public var at: Date

    public init(from: Role, to: Role, reason: String, by: String, at: Date) {
        self.from = from
        self.to = to
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// A user was disabled.
public struct UserDisabled: Codable, Sendable, Hashable {
    public var reason: String
    public var by: String
    public var at: Date

    public init(reason: String, by: String, at: Date) {
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// A user was enabled again.
public struct UserEnabled: Codable, Sendable, Hashable {
    public var reason: String?
    public var by: String
    public var at: Date

    public init(reason: String?, by: String, at: Date) {
        self.reason = reason
        self.by = by
        self.at = at
    }
}

/// A token was issued to the user.
public struct TokenIssued: Codable, Sendable, Hashable {
    /// The token's lookup id (the part between `cd_` and the secret).
    public var tokenId: String
    public var by: String
    public var at: Date

    public init(tokenId: String, by: String, at: Date) {
        self.tokenId = tokenId
        self.by = by
        self.at = at
    }
}

/// A token was revoked.
public struct TokenRevoked: Codable, Sendable, Hashable {
    public var tokenId: String
    public var reason: String?
    public var by: String
    public var at: Date

    public init(tokenId: String, reason: String?, by: String, at: Date) {
        self.tokenId = tokenId
        self.reason = reason
        self.by = by
        self.at = at
    }
}
