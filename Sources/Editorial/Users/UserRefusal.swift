/// Why the domain refused a change to a user's account; nothing is written.
public struct UserRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal, for exit codes and HTTP statuses.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// No user has this name.
        case notFound = "not-found"
        /// A user with this name exists.
        case alreadyExists = "already-exists"
        /// The name is not a valid user name.
        case invalidName = "invalid-name"
        /// The name belongs to the system.
        case reserved
        /// Only an administrator manages users.
        case roleTooLow = "role-too-low"
        /// A reason must be given.
        case reasonRequired = "reason-required"
        /// The account is already as asked (same role, already disabled...).
        case nothingToChange = "nothing-to-change"
        /// An administrator may not disable or demote themselves (another administrator can).
        case ownAccount = "own-account"
        /// The user is disabled; enable them first.
        case disabled
        /// The user has no working token with this id.
        case unknownToken = "unknown-token"
        /// A reason is longer than its limit.
        case overLimit = "over-limit"
        /// A reason holds a NUL character (U+0000), which cannot be stored.
        case invalidContent = "invalid-content"
    }

    public var reason: Reason
    /// The user the command was about.
    public var user: String
    /// What was refused and why, with the account's state: "carol is already publisher".
    public var message: String

    public init(_ reason: Reason, user: String, message: String) {
        self.reason = reason
        self.user = user
        self.message = message
    }

    public var description: String { message.singleLine }
}
