import Foundation

/// The rules for managing people: only administrators do it, every step that takes rights away
/// says why, and nobody locks themselves out by accident.
public enum UserDecider {
    /// The events `action` on the user `name` produces, or why it is refused.
    public static func decide(
        _ action: UserAction, user name: String, state: UserAccount?, by actor: Actor, at: Date
    ) throws(UserRefusal) -> [UserEvent] {
        guard actor.role == .admin else {
            throw UserRefusal(
                .roleTooLow, user: name, message: "only an admin manages users; \(actor) is not one")
        }
        if case .add(let role, let tokenId) = action {
            guard state == nil else {
                throw UserRefusal(.alreadyExists, user: name, message: "a user named \"\(name)\" already exists")
            }
            guard UserName.isValid(name) else {
                throw UserRefusal(
                    .invalidName, user: name,
                    message: "user name \"\(name)\" is not valid: use 1-63 lowercase letters, digits, '.', '_' or '-', "
                        + "starting with a letter")
            }
            guard !Actor.isReserved(name) else {
                throw UserRefusal(
                    .reserved, user: name,
                    message: "user name \"\(name)\" is reserved: Copydesk itself acts under it (its steps are marked "
                        + "as the system's in history and audit), so no person may be added or act as \(name)")
            }
            return [
                .added(UserAdded(name: name, role: role, by: actor.name, at: at)),
                .tokenIssued(TokenIssued(tokenId: tokenId, by: actor.name, at: at)),
            ]
        }
        guard let user = state else {
            throw UserRefusal(.notFound, user: name, message: "no user is named \"\(name)\"")
        }
        switch action {
        case .add:
            preconditionFailure("handled above")
        case .changeRole(let role, let reason):
            try requireReason(reason, for: "changing a role", user: name)
            guard role != user.role else {
                throw UserRefusal(.nothingToChange, user: name, message: "\(name) is already \(role.rawValue)")
            }
            guard actor.name != name else {
                throw UserRefusal(
                    .ownAccount, user: name,
                    message: "\(name) cannot change their own role; another admin can")
            }
            return [.roleChanged(UserRoleChanged(from: user.role, to: role, reason: reason, by: actor.name, at: at))]
        case .disable(let reason):
            try requireReason(reason, for: "disabling a user", user: name)
            guard !user.isDisabled else {
                throw UserRefusal(.nothingToChange, user: name, message: "\(name) is already disabled")
            }
            guard actor.name != name else {
                throw UserRefusal(.ownAccount, user: name, message: "\(name) cannot disable themselves; another admin can")
            }
            return [.disabled(UserDisabled(reason: reason, by: actor.name, at: at))]
        case .enable(let reason):
            try checkLength(reason, user: name)
            guard user.isDisabled else {
                throw UserRefusal(.nothingToChange, user: name, message: "\(name) is not disabled")
            }
            return [.enabled(UserEnabled(reason: reason.flatMap { $0.isBlank ? nil : $0 }, by: actor.name, at: at))]
        case .issueToken(let tokenId, let revokingOthers):
            guard !user.isDisabled else {
                throw UserRefusal(.disabled, user: name, message: "\(name) is disabled; enable them before issuing a token")
            }
            let revoked: [UserEvent] = revokingOthers
                ? user.activeTokens.map {
                    .tokenRevoked(TokenRevoked(tokenId: $0, reason: "replaced by a new token", by: actor.name, at: at))
                } : []
            return revoked + [.tokenIssued(TokenIssued(tokenId: tokenId, by: actor.name, at: at))]
        case .revokeToken(let tokenId, let reason):
            try checkLength(reason, user: name)
            guard user.activeTokens.contains(tokenId) else {
                let working = user.activeTokens.isEmpty ? "none" : user.activeTokens.joined(separator: ", ")
                throw UserRefusal(
                    .unknownToken, user: name,
                    message: "\(name) has no working token \"\(tokenId)\"; their working tokens: \(working)")
            }
            let given = reason.flatMap { $0.isBlank ? nil : $0 }
            return [.tokenRevoked(TokenRevoked(tokenId: tokenId, reason: given, by: actor.name, at: at))]
        }
    }

    /// The account after `event`; nil until the user is added.
    public static func evolve(_ state: UserAccount?, _ event: UserEvent) -> UserAccount? {
        if case .added(let added) = event {
            return UserAccount(
                name: added.name, role: added.role, createdAt: added.at, updatedAt: added.at,
                version: (state?.version ?? 0) + 1)
        }
        guard var user = state else { return nil }
        switch event {
        case .added: break
        case .roleChanged(let e): user.role = e.to
        case .disabled: user.isDisabled = true
        case .enabled: user.isDisabled = false
        case .tokenIssued(let e): if !user.activeTokens.contains(e.tokenId) { user.activeTokens.append(e.tokenId) }
        case .tokenRevoked(let e): user.activeTokens.removeAll { $0 == e.tokenId }
        }
        user.updatedAt = event.at
        user.version += 1
        return user
    }

    private static func requireReason(_ reason: String, for step: String, user: String) throws(UserRefusal) {
        guard !reason.isBlank else {
            throw UserRefusal(.reasonRequired, user: user, message: "\(step) needs a reason; none was given")
        }
        try checkLength(reason, user: user)
    }

    private static func checkLength(_ reason: String?, user: String) throws(UserRefusal) {
        guard let reason else { return }
        if reason.unicodeScalars.contains("\u{0}") {
            throw UserRefusal(
                .invalidContent, user: user,
                message: "the reason holds a NUL character (U+0000), which cannot be stored; remove it")
        }
        guard InputLimit.reason.isExceeded(by: reason) else { return }
        throw UserRefusal(.overLimit, user: user, message: InputLimit.reason.description)
    }
}
