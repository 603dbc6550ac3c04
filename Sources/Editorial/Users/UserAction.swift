/// What an administrator does to a user's account.
public enum UserAction: Sendable, Hashable {
    /// Adds the user with a role and a first token (`tokenId` is the new token's lookup id).
    case add(role: Role, tokenId: String)
    /// Gives the user another role.
    case changeRole(to: Role, reason: String)
    /// Stops the user from signing in or using tokens.
    case disable(reason: String)
    /// Lets a disabled user act again.
    case enable(reason: String?)
    /// Issues a new token, revoking the user's other tokens when `revokingOthers`.
    case issueToken(tokenId: String, revokingOthers: Bool)
    /// Revokes one token.
    case revokeToken(tokenId: String, reason: String?)

    /// The command's word, as the CLI and refusals name it.
    public var word: String {
        switch self {
        case .add: "add"
        case .changeRole: "role"
        case .disable: "disable"
        case .enable: "enable"
        case .issueToken: "token"
        case .revokeToken: "revoke"
        }
    }
}
