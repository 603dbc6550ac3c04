import Editorial
import Foundation
import Testing

/// Shared people, accounts and times for the user-rule tests.
enum UserFixture {
    typealias F = Fixture

    /// The user every command is about: an editor with two working tokens.
    static let name = "carol"
    static let tokens = ["t1", "t2"]

    /// When carol was added; her later events follow a minute apart.
    static let added = F.minute(0)

    static let active = UserAccount(
        name: name, role: .editor, activeTokens: tokens, createdAt: added, updatedAt: F.minute(1), version: 3)
    static let disabled = UserAccount(
        name: name, role: .editor, isDisabled: true, activeTokens: tokens, createdAt: added, updatedAt: F.minute(2),
        version: 4)

    /// An administrator acting on someone else; for other roles, a user of that role.
    static func actor(_ role: Role) -> Actor {
        switch role {
        case .author: F.alice
        case .editor: F.erin
        case .publisher: F.pat
        case .admin: F.ada
        }
    }

    /// ada's own account, active or disabled.
    static func own(disabled: Bool = false) -> UserAccount {
        UserAccount(
            name: "ada", role: .admin, isDisabled: disabled, activeTokens: ["a1"], createdAt: added,
            updatedAt: F.minute(1), version: 2)
    }

    /// A reason of `count` code points.
    static func reason(_ count: Int) -> String { String(repeating: "Ж", count: count) }
}

/// What a user action led to: the events it produced or why it was refused.
enum UserOutcome: Sendable, Equatable, CustomStringConvertible {
    case events([UserEvent])
    case refused(UserRefusal.Reason)

    var description: String {
        switch self {
        case .events(let events): "events \(events.map(\.typeName))"
        case .refused(let reason): "refused \(reason.rawValue)"
        }
    }
}

/// `action` on the user `name` in `state`, by `actor` at `Fixture.now`: the events, or the refusal.
func userWhen(
    _ action: UserAction, on name: String = UserFixture.name, state: UserAccount?, by actor: Actor
) -> Result<[UserEvent], UserRefusal> {
    Result { () throws(UserRefusal) in
        try UserDecider.decide(action, user: name, state: state, by: actor, at: Fixture.now)
    }
}

/// The outcome of `action`, reduced to events or a refusal reason.
func userOutcome(
    _ action: UserAction, on name: String = UserFixture.name, state: UserAccount?, by actor: Actor
) -> UserOutcome {
    switch userWhen(action, on: name, state: state, by: actor) {
    case .success(let events): .events(events)
    case .failure(let refusal): .refused(refusal.reason)
    }
}

/// The account `events` leave, folded from nothing.
func userFold(_ events: [UserEvent]) -> UserAccount? {
    events.reduce(nil) { UserDecider.evolve($0, $1) }
}

/// Which kind of `UserAction` a cell runs.
enum UserActionKind: String, Sendable, CaseIterable {
    case add, changeRole, disable, enable, issueToken, revokeToken
}

/// The account a cell's action meets.
enum UserStateKind: String, Sendable, CaseIterable {
    case none, active, disabled

    var account: UserAccount? {
        switch self {
        case .none: nil
        case .active: UserFixture.active
        case .disabled: UserFixture.disabled
        }
    }
}

/// One action on carol, in one state, by someone of one role.
struct UserCell: Sendable, CustomTestStringConvertible {
    var action: UserActionKind
    var state: UserStateKind
    var role: Role
    var expected: UserOutcome

    var testDescription: String {
        "\(action.rawValue) on \(state.rawValue) by \(role.rawValue) → \(expected)"
    }
}

@Suite("Users: who may manage accounts, and what each step records")
struct UserDeciderTests {
    typealias F = Fixture
    typealias U = UserFixture

    static func action(_ kind: UserActionKind) -> UserAction {
        switch kind {
        case .add: .add(role: .editor, tokenId: "t9")
        case .changeRole: .changeRole(to: .publisher, reason: "повышение")
        case .disable: .disable(reason: "уволилась")
        case .enable: .enable(reason: "вернулась")
        case .issueToken: .issueToken(tokenId: "t9", revokingOthers: false)
        case .revokeToken: .revokeToken(tokenId: "t1", reason: "потерян")
        }
    }

    // MARK: Expected events, written out by hand.

    static let added: [UserEvent] = [
        .added(UserAdded(name: "carol", role: .editor, by: "ada", at: F.now)),
        .tokenIssued(TokenIssued(tokenId: "t9", by: "ada", at: F.now)),
    ]
    static let promoted: [UserEvent] = [
        .roleChanged(UserRoleChanged(from: .editor, to: .publisher, reason: "повышение", by: "ada", at: F.now))
    ]
    static let disabledNow: [UserEvent] = [.disabled(UserDisabled(reason: "уволилась", by: "ada", at: F.now))]
    static let enabledNow: [UserEvent] = [.enabled(UserEnabled(reason: "вернулась", by: "ada", at: F.now))]
    static let issued: [UserEvent] = [.tokenIssued(TokenIssued(tokenId: "t9", by: "ada", at: F.now))]
    static let revoked: [UserEvent] = [
        .tokenRevoked(TokenRevoked(tokenId: "t1", reason: "потерян", by: "ada", at: F.now))
    ]

    /// What an administrator gets for each action in each state.
    static let adminOutcomes: [UserActionKind: [UserStateKind: UserOutcome]] = [
        .add: [.none: .events(added), .active: .refused(.alreadyExists), .disabled: .refused(.alreadyExists)],
        // A disabled user's role may still change.
        .changeRole: [.none: .refused(.notFound), .active: .events(promoted), .disabled: .events(promoted)],
        .disable: [.none: .refused(.notFound), .active: .events(disabledNow), .disabled: .refused(.nothingToChange)],
        .enable: [.none: .refused(.notFound), .active: .refused(.nothingToChange), .disabled: .events(enabledNow)],
        .issueToken: [.none: .refused(.notFound), .active: .events(issued), .disabled: .refused(.disabled)],
        // A disabled user's token may still be revoked, so it stays dead when they are enabled again.
        .revokeToken: [.none: .refused(.notFound), .active: .events(revoked), .disabled: .events(revoked)],
    ]

    /// Every action × state × role: only an administrator manages users, whatever the state.
    static let cells: [UserCell] = UserActionKind.allCases.flatMap { action in
        UserStateKind.allCases.flatMap { state in
            Role.allCases.map { role in
                UserCell(
                    action: action, state: state, role: role,
                    expected: role == .admin ? adminOutcomes[action]![state]! : .refused(.roleTooLow))
            }
        }
    }

    @Test("the table covers every action in every state with every role")
    func tableIsComplete() {
        #expect(Self.cells.count == UserActionKind.allCases.count * UserStateKind.allCases.count * Role.allCases.count)
        #expect(Self.cells.count == 72)
        #expect(Set(Self.cells.map(\.testDescription)).count == Self.cells.count)
        #expect(Set(Self.adminOutcomes.keys) == Set(UserActionKind.allCases))
        for outcomes in Self.adminOutcomes.values { #expect(Set(outcomes.keys) == Set(UserStateKind.allCases)) }
        // Every word the CLI and refusals use, once per action.
        #expect(UserActionKind.allCases.map { Self.action($0).word } == ["add", "role", "disable", "enable", "token", "revoke"])
    }

    @Test("user action by state and role", arguments: cells)
    func cell(_ cell: UserCell) {
        let actor = U.actor(cell.role)
        let result = userWhen(Self.action(cell.action), state: cell.state.account, by: actor)
        switch (result, cell.expected) {
        case (.success(let events), .events(let expected)):
            #expect(events == expected)
            #expect(events.allSatisfy { $0.by == actor.name && $0.at == F.now })
        case (.failure(let refusal), .refused(let reason)):
            #expect(refusal.reason == reason)
            #expect(refusal.user == U.name)
            #expect(!refusal.message.isEmpty && !refusal.description.contains("\n"))
            if reason == .roleTooLow { #expect(refusal.message.contains(actor.name), "\(refusal)") }
        default:
            Issue.record("expected \(cell.expected), got \(result)")
        }
    }

    @Test("the system's own administrator (migration) may manage users; the scheduler may not")
    func systemActors() {
        #expect(userOutcome(.disable(reason: "gone"), state: U.active, by: .migration) != .refused(.roleTooLow))
        #expect(userOutcome(.disable(reason: "gone"), state: U.active, by: .scheduler) == .refused(.roleTooLow))
        #expect(Actor.migration.role == .admin && Actor.migration.kind == .system)
    }

    // MARK: Own account

    @Test("an administrator cannot demote or disable themselves; another administrator can")
    func ownAccountRefused() {
        let ada = F.ada
        #expect(userOutcome(.changeRole(to: .editor, reason: "step down"), on: "ada", state: U.own(), by: ada)
            == .refused(.ownAccount))
        #expect(userOutcome(.changeRole(to: .author, reason: "step down"), on: "ada", state: U.own(), by: ada)
            == .refused(.ownAccount))
        #expect(userOutcome(.disable(reason: "holiday"), on: "ada", state: U.own(), by: ada) == .refused(.ownAccount))
        for action: UserAction in [.disable(reason: "holiday"), .changeRole(to: .author, reason: "step down")] {
            let refused = userWhen(action, on: "ada", state: U.own(), by: ada).failure
            #expect(refused?.user == "ada" && refused?.message.contains("another admin can") == true, "\(String(describing: refused))")
        }

        let other = Actor(name: "root", role: .admin)
        #expect(
            userOutcome(.changeRole(to: .editor, reason: "step down"), on: "ada", state: U.own(), by: other)
                == .events([.roleChanged(UserRoleChanged(from: .admin, to: .editor, reason: "step down", by: "root", at: F.now))]))
        #expect(
            userOutcome(.disable(reason: "holiday"), on: "ada", state: U.own(), by: other)
                == .events([.disabled(UserDisabled(reason: "holiday", by: "root", at: F.now))]))
    }

    @Test("on their own account, a missing reason or nothing to change is named before the own-account rule")
    func ownAccountOrder() {
        let ada = F.ada
        #expect(userOutcome(.changeRole(to: .editor, reason: " "), on: "ada", state: U.own(), by: ada) == .refused(.reasonRequired))
        #expect(userOutcome(.changeRole(to: .admin, reason: "same"), on: "ada", state: U.own(), by: ada) == .refused(.nothingToChange))
        #expect(userOutcome(.disable(reason: ""), on: "ada", state: U.own(), by: ada) == .refused(.reasonRequired))
        #expect(userOutcome(.disable(reason: "again"), on: "ada", state: U.own(disabled: true), by: ada) == .refused(.nothingToChange))
        #expect(userOutcome(.add(role: .admin, tokenId: "a2"), on: "ada", state: U.own(), by: ada) == .refused(.alreadyExists))
    }

    @Test("an administrator may issue and revoke their own tokens, and the domain lets them enable their own account")
    func ownAccountAllowed() {
        let ada = F.ada
        #expect(
            userOutcome(.issueToken(tokenId: "a2", revokingOthers: false), on: "ada", state: U.own(), by: ada)
                == .events([.tokenIssued(TokenIssued(tokenId: "a2", by: "ada", at: F.now))]))
        #expect(
            userOutcome(.issueToken(tokenId: "a2", revokingOthers: true), on: "ada", state: U.own(), by: ada)
                == .events([
                    .tokenRevoked(TokenRevoked(tokenId: "a1", reason: "replaced by a new token", by: "ada", at: F.now)),
                    .tokenIssued(TokenIssued(tokenId: "a2", by: "ada", at: F.now)),
                ]))
        #expect(
            userOutcome(.revokeToken(tokenId: "a1", reason: nil), on: "ada", state: U.own(), by: ada)
                == .events([.tokenRevoked(TokenRevoked(tokenId: "a1", reason: nil, by: "ada", at: F.now))]))
        // Whether a disabled administrator can act at all is for sign-in to decide, not this rule.
        #expect(
            userOutcome(.enable(reason: nil), on: "ada", state: U.own(disabled: true), by: ada)
                == .events([.enabled(UserEnabled(reason: nil, by: "ada", at: F.now))]))
    }

    // MARK: Reasons

    @Test("changing a role and disabling need a reason: empty or blank is refused, whitespace included")
    func blankReasons() {
        for blank in ["", " ", "\t", "\n", " \r\n\t ", "\u{00A0}", "\u{2003}"] {
            #expect(
                userOutcome(.changeRole(to: .publisher, reason: blank), state: U.active, by: F.ada) == .refused(.reasonRequired),
                "\(blank.unicodeScalars.map(\.value))")
            #expect(
                userOutcome(.disable(reason: blank), state: U.active, by: F.ada) == .refused(.reasonRequired),
                "\(blank.unicodeScalars.map(\.value))")
            // Enabling and revoking take an optional reason: a blank one is recorded as none.
            #expect(
                userOutcome(.enable(reason: blank), state: U.disabled, by: F.ada)
                    == .events([.enabled(UserEnabled(reason: nil, by: "ada", at: F.now))]))
            #expect(
                userOutcome(.revokeToken(tokenId: "t2", reason: blank), state: U.active, by: F.ada)
                    == .events([.tokenRevoked(TokenRevoked(tokenId: "t2", reason: nil, by: "ada", at: F.now))]))
        }
        #expect(
            userOutcome(.enable(reason: nil), state: U.disabled, by: F.ada)
                == .events([.enabled(UserEnabled(reason: nil, by: "ada", at: F.now))]))
        #expect(
            userOutcome(.revokeToken(tokenId: "t2", reason: nil), state: U.active, by: F.ada)
                == .events([.tokenRevoked(TokenRevoked(tokenId: "t2", reason: nil, by: "ada", at: F.now))]))
        // A reason with text around its whitespace is kept as given.
        #expect(
            userOutcome(.disable(reason: " left\n"), state: U.active, by: F.ada)
                == .events([.disabled(UserDisabled(reason: " left\n", by: "ada", at: F.now))]))
    }

    @Test("a reason may have 10,000 code points and no more, for every step that takes one")
    func reasonLimit() throws {
        #expect(InputLimit.reason.maximum == 10_000)
        let atLimit = U.reason(10_000)
        let over = U.reason(10_001)
        // 5,001 letters each with a combining accent: 5,001 characters but 10,002 code points.
        let combining = String(repeating: "e\u{0301}", count: 5_001)
        #expect(combining.count == 5_001 && combining.unicodeScalars.count == 10_002)

        let steps: [(String, (String) -> UserAction, UserAccount)] = [
            ("role", { .changeRole(to: .publisher, reason: $0) }, U.active),
            ("disable", { .disable(reason: $0) }, U.active),
            ("enable", { .enable(reason: $0) }, U.disabled),
            ("revoke", { .revokeToken(tokenId: "t1", reason: $0) }, U.active),
        ]
        for (word, action, state) in steps {
            guard case .events(let events) = userOutcome(action(atLimit), state: state, by: F.ada) else {
                Issue.record("\(word) with a reason at the limit was refused")
                continue
            }
            #expect(events.first?.reason == atLimit, "\(word)")
            #expect(userOutcome(action(over), state: state, by: F.ada) == .refused(.overLimit), "\(word)")
            #expect(userOutcome(action(combining), state: state, by: F.ada) == .refused(.overLimit), "\(word)")
            let refused = try #require(userWhen(action(over), state: state, by: F.ada).failure)
            #expect(refused.message == InputLimit.reason.description, "\(word)")
            #expect(refused.message.contains("10000"))
        }
    }

    @Test("refusals come in order: role, then whether the user exists, then the reason, then the account's state")
    func refusalOrder() {
        // A non-admin learns nothing about the account, not even whether it exists.
        #expect(userOutcome(.disable(reason: ""), state: nil, by: F.pat) == .refused(.roleTooLow))
        #expect(userOutcome(.add(role: .admin, tokenId: "x"), on: "Not Valid", state: nil, by: F.erin) == .refused(.roleTooLow))
        #expect(userOutcome(.add(role: .admin, tokenId: "x"), on: "scheduler", state: nil, by: F.alice) == .refused(.roleTooLow))
        // A missing user before a missing reason.
        #expect(userOutcome(.changeRole(to: .editor, reason: ""), state: nil, by: F.ada) == .refused(.notFound))
        #expect(userOutcome(.revokeToken(tokenId: "t1", reason: U.reason(10_001)), state: nil, by: F.ada) == .refused(.notFound))
        // A missing reason before nothing to change.
        #expect(userOutcome(.changeRole(to: .editor, reason: " "), state: U.active, by: F.ada) == .refused(.reasonRequired))
        #expect(userOutcome(.disable(reason: " "), state: U.disabled, by: F.ada) == .refused(.reasonRequired))
        // A reason over the limit before nothing to change, or an unknown token.
        #expect(userOutcome(.changeRole(to: .editor, reason: U.reason(10_001)), state: U.active, by: F.ada) == .refused(.overLimit))
        #expect(userOutcome(.enable(reason: U.reason(10_001)), state: U.active, by: F.ada) == .refused(.overLimit))
        #expect(userOutcome(.revokeToken(tokenId: "nope", reason: U.reason(10_001)), state: U.active, by: F.ada) == .refused(.overLimit))
        // An existing user before a bad name: the name was valid when they were added.
        #expect(userOutcome(.add(role: .author, tokenId: "x"), on: "Carol", state: U.active, by: F.ada) == .refused(.alreadyExists))
    }

    @Test("a role change to the role the user has is refused, naming it")
    func sameRole() throws {
        for role in Role.allCases {
            var user = U.active
            user.role = role
            #expect(userOutcome(.changeRole(to: role, reason: "why"), state: user, by: F.ada) == .refused(.nothingToChange))
            for other in Role.allCases where other != role {
                #expect(
                    userOutcome(.changeRole(to: other, reason: "why"), state: user, by: F.ada)
                        == .events([.roleChanged(UserRoleChanged(from: role, to: other, reason: "why", by: "ada", at: F.now))]))
            }
        }
        let refused = try #require(userWhen(.changeRole(to: .editor, reason: "why"), state: U.active, by: F.ada).failure)
        #expect(refused.message == "carol is already editor")
    }

    // MARK: Names

    @Test("a new user's name: 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter")
    func names() {
        let valid = ["a", "z", "alice", "a1", "a.b", "a_b", "a-b", "a.b_c-9", String(repeating: "a", count: 63), "a" + String(repeating: "9", count: 62)]
        let invalid = [
            "", " ", "Alice", "aLice", "1alice", "9", ".alice", "_alice", "-alice", "al ice", "alice ", " alice",
            "alice!", "alice@example", "al/ice", "алиса", "éric", "a\u{0}", "a\n", String(repeating: "a", count: 64),
            "Scheduler", "MIGRATION",
        ]
        for name in valid {
            #expect(UserName.isValid(name), "\(name)")
            #expect(
                userOutcome(.add(role: .author, tokenId: "t"), on: name, state: nil, by: F.ada)
                    == .events([
                        .added(UserAdded(name: name, role: .author, by: "ada", at: F.now)),
                        .tokenIssued(TokenIssued(tokenId: "t", by: "ada", at: F.now)),
                    ]), "\(name)")
        }
        for name in invalid {
            #expect(!UserName.isValid(name), "\(name.debugDescription)")
            #expect(
                userOutcome(.add(role: .author, tokenId: "t"), on: name, state: nil, by: F.ada) == .refused(.invalidName),
                "\(name.debugDescription)")
        }
    }

    @Test("the system's names (scheduler, migration) are reserved: no person may be added under them")
    func reservedNames() throws {
        #expect(Actor.system.map(\.name) == ["scheduler", "migration"])
        #expect(Actor.system.allSatisfy { $0.kind == .system })
        for name in ["scheduler", "migration"] {
            #expect(Actor.isReserved(name))
            #expect(UserName.isValid(name), "reserved, not invalid")
            for role in Role.allCases {
                #expect(
                    userOutcome(.add(role: role, tokenId: "t"), on: name, state: nil, by: F.ada) == .refused(.reserved),
                    "\(name) as \(role)")
            }
            let refused = try #require(userWhen(.add(role: .admin, tokenId: "t"), on: name, state: nil, by: F.ada).failure)
            #expect(refused.user == name && refused.message.contains("reserved"), "\(refused)")
        }
        for name in ["schedulers", "scheduler2", "migrations", "root", "admin", "system"] {
            #expect(!Actor.isReserved(name), "\(name)")
        }
    }

    // MARK: Tokens

    @Test("issuing a token revoking the others revokes exactly the working tokens, oldest first, then issues")
    func issueRevokingOthers() throws {
        let by = "ada"
        var user = U.active
        user.activeTokens = ["t1", "t2", "t3"]
        let events = try userWhen(.issueToken(tokenId: "t9", revokingOthers: true), state: user, by: F.ada).get()
        #expect(
            events == [
                .tokenRevoked(TokenRevoked(tokenId: "t1", reason: "replaced by a new token", by: by, at: F.now)),
                .tokenRevoked(TokenRevoked(tokenId: "t2", reason: "replaced by a new token", by: by, at: F.now)),
                .tokenRevoked(TokenRevoked(tokenId: "t3", reason: "replaced by a new token", by: by, at: F.now)),
                .tokenIssued(TokenIssued(tokenId: "t9", by: by, at: F.now)),
            ])
        let after = try #require(events.reduce(Optional(user)) { UserDecider.evolve($0, $1) })
        #expect(after.activeTokens == ["t9"])
        #expect(after.version == user.version + 4)

        // Without revoking, the others keep working.
        let kept = try userWhen(.issueToken(tokenId: "t9", revokingOthers: false), state: user, by: F.ada).get()
        #expect(kept == [.tokenIssued(TokenIssued(tokenId: "t9", by: by, at: F.now))])
        #expect(kept.reduce(Optional(user)) { UserDecider.evolve($0, $1) }?.activeTokens == ["t1", "t2", "t3", "t9"])

        // With no working token, there is nothing to revoke.
        user.activeTokens = []
        #expect(
            try userWhen(.issueToken(tokenId: "t9", revokingOthers: true), state: user, by: F.ada).get()
                == [.tokenIssued(TokenIssued(tokenId: "t9", by: by, at: F.now))])

        // A disabled user gets no token, revoking or not.
        for revoking in [false, true] {
            #expect(
                userOutcome(.issueToken(tokenId: "t9", revokingOthers: revoking), state: U.disabled, by: F.ada)
                    == .refused(.disabled))
        }
    }

    @Test("revoking a token that is not working is refused, listing the working ones")
    func unknownToken() throws {
        let refused = try #require(
            userWhen(.revokeToken(tokenId: "t7", reason: nil), state: U.active, by: F.ada).failure)
        #expect(refused.reason == .unknownToken)
        #expect(refused.message.contains("t7") && refused.message.contains("t1, t2"), "\(refused)")
        var none = U.active
        none.activeTokens = []
        let empty = try #require(userWhen(.revokeToken(tokenId: "t1", reason: nil), state: none, by: F.ada).failure)
        #expect(empty.reason == .unknownToken && empty.message.hasSuffix("none"), "\(empty)")
        // A revoked token cannot be revoked twice.
        let once = try userWhen(.revokeToken(tokenId: "t1", reason: nil), state: U.active, by: F.ada).get()
        let after = once.reduce(Optional(U.active)) { UserDecider.evolve($0, $1) }
        #expect(userOutcome(.revokeToken(tokenId: "t1", reason: nil), state: after, by: F.ada) == .refused(.unknownToken))
    }

    // MARK: Folding

    @Test("adding a user starts the account: the role, active, no token yet, version 1")
    func evolveAdded() throws {
        let account = try #require(UserDecider.evolve(nil, .added(UserAdded(name: "carol", role: .editor, by: "ada", at: F.minute(0)))))
        #expect(
            account
                == UserAccount(
                    name: "carol", role: .editor, isDisabled: false, activeTokens: [], createdAt: F.minute(0),
                    updatedAt: F.minute(0), version: 1))
        #expect(account.state == "active")
    }

    @Test("an event before the user was added leaves no account")
    func evolveWithoutAdded() {
        let events: [UserEvent] = [
            .roleChanged(UserRoleChanged(from: .author, to: .editor, reason: "r", by: "ada", at: F.now)),
            .disabled(UserDisabled(reason: "r", by: "ada", at: F.now)),
            .enabled(UserEnabled(reason: nil, by: "ada", at: F.now)),
            .tokenIssued(TokenIssued(tokenId: "t1", by: "ada", at: F.now)),
            .tokenRevoked(TokenRevoked(tokenId: "t1", reason: nil, by: "ada", at: F.now)),
        ]
        for event in events { #expect(UserDecider.evolve(nil, event) == nil, "\(event.typeName)") }
        #expect(userFold([]) == nil)
    }

    @Test("each event folds into role, state, working tokens (oldest first), version and updatedAt")
    func evolveSteps() throws {
        let steps: [(UserEvent, role: Role, disabled: Bool, tokens: [String])] = [
            (.added(UserAdded(name: "carol", role: .author, by: "ada", at: F.minute(0))), .author, false, []),
            (.tokenIssued(TokenIssued(tokenId: "t1", by: "ada", at: F.minute(1))), .author, false, ["t1"]),
            (.tokenIssued(TokenIssued(tokenId: "t2", by: "ada", at: F.minute(2))), .author, false, ["t1", "t2"]),
            (.roleChanged(UserRoleChanged(from: .author, to: .publisher, reason: "r", by: "ada", at: F.minute(3))),
             .publisher, false, ["t1", "t2"]),
            // Disabling keeps the tokens: they work again once the user is enabled.
            (.disabled(UserDisabled(reason: "r", by: "ada", at: F.minute(4))), .publisher, true, ["t1", "t2"]),
            (.tokenRevoked(TokenRevoked(tokenId: "t1", reason: nil, by: "ada", at: F.minute(5))), .publisher, true, ["t2"]),
            (.tokenIssued(TokenIssued(tokenId: "t3", by: "root", at: F.minute(6))), .publisher, true, ["t2", "t3"]),
            (.enabled(UserEnabled(reason: nil, by: "root", at: F.minute(7))), .publisher, false, ["t2", "t3"]),
            (.roleChanged(UserRoleChanged(from: .publisher, to: .author, reason: "r", by: "root", at: F.minute(8))),
             .author, false, ["t2", "t3"]),
            (.tokenIssued(TokenIssued(tokenId: "t1", by: "root", at: F.minute(9))), .author, false, ["t2", "t3", "t1"]),
        ]
        var account: UserAccount?
        for (index, step) in steps.enumerated() {
            account = UserDecider.evolve(account, step.0)
            let folded = try #require(account, "after \(step.0.typeName)")
            #expect(folded.name == "carol")
            #expect(folded.role == step.role, "step \(index)")
            #expect(folded.isDisabled == step.disabled, "step \(index)")
            #expect(folded.state == (step.disabled ? "disabled" : "active"), "step \(index)")
            #expect(folded.activeTokens == step.tokens, "step \(index)")
            #expect(folded.version == Int64(index + 1), "step \(index)")
            #expect(folded.updatedAt == F.minute(Double(index)), "step \(index)")
            #expect(folded.createdAt == F.minute(0), "step \(index)")
        }
        #expect(userFold(steps.map(\.0)) == account)
    }

    @Test("a token issued twice is listed once; revoking a token that is not working changes nothing but the version")
    func evolveTokenEdges() throws {
        let start = try #require(userFold([
            .added(UserAdded(name: "carol", role: .editor, by: "ada", at: F.minute(0))),
            .tokenIssued(TokenIssued(tokenId: "t1", by: "ada", at: F.minute(0))),
        ]))
        let twice = try #require(UserDecider.evolve(start, .tokenIssued(TokenIssued(tokenId: "t1", by: "ada", at: F.minute(1)))))
        #expect(twice.activeTokens == ["t1"])
        #expect(twice.version == 3 && twice.updatedAt == F.minute(1))
        let unknown = try #require(
            UserDecider.evolve(twice, .tokenRevoked(TokenRevoked(tokenId: "t7", reason: nil, by: "ada", at: F.minute(2)))))
        #expect(unknown.activeTokens == ["t1"])
        #expect(unknown.version == 4 && unknown.updatedAt == F.minute(2))
    }

    @Test("what the decider decides, folded, is the account the next command meets")
    func decideThenFold() throws {
        var events = try userWhen(.add(role: .author, tokenId: "t1"), state: nil, by: F.ada).get()
        var account = userFold(events)
        #expect(account?.role == .author && account?.activeTokens == ["t1"] && account?.version == 2)
        for action: UserAction in [
            .issueToken(tokenId: "t2", revokingOthers: false),
            .changeRole(to: .editor, reason: "promoted"),
            .disable(reason: "leave"),
            .revokeToken(tokenId: "t1", reason: "lost"),
            .enable(reason: nil),
            .issueToken(tokenId: "t3", revokingOthers: true),
        ] {
            events += try userWhen(action, state: account, by: F.ada).get()
            account = userFold(events)
        }
        let final = try #require(account)
        #expect(final.role == .editor && !final.isDisabled)
        #expect(final.activeTokens == ["t3"])
        #expect(final.version == Int64(events.count))
        #expect(events.map(\.typeName) == [
            "UserAdded", "TokenIssued", "TokenIssued", "UserRoleChanged", "UserDisabled", "TokenRevoked", "UserEnabled",
            "TokenRevoked", "TokenIssued",
        ])
    }

    // MARK: Audit words

    @Test("each event names its audit action, what it changed, its actor, time and reason")
    func auditWords() {
        let at = F.now
        let cases: [(UserEvent, action: String, changed: [String], reason: String?)] = [
            (.added(UserAdded(name: "c", role: .author, by: "ada", at: at)), "add-user", ["role", "state"], nil),
            (.roleChanged(UserRoleChanged(from: .author, to: .editor, reason: "r1", by: "ada", at: at)), "change-role", ["role"], "r1"),
            (.disabled(UserDisabled(reason: "r2", by: "ada", at: at)), "disable-user", ["state"], "r2"),
            (.enabled(UserEnabled(reason: "r3", by: "ada", at: at)), "enable-user", ["state"], "r3"),
            (.enabled(UserEnabled(reason: nil, by: "ada", at: at)), "enable-user", ["state"], nil),
            (.tokenIssued(TokenIssued(tokenId: "t", by: "ada", at: at)), "issue-token", ["tokens"], nil),
            (.tokenRevoked(TokenRevoked(tokenId: "t", reason: "r4", by: "ada", at: at)), "revoke-token", ["tokens"], "r4"),
            (.tokenRevoked(TokenRevoked(tokenId: "t", reason: nil, by: "ada", at: at)), "revoke-token", ["tokens"], nil),
        ]
        for (event, action, changed, reason) in cases {
            #expect(event.action == action, "\(event.typeName)")
            #expect(event.changed == changed, "\(event.typeName)")
            #expect(event.reason == reason, "\(event.typeName)")
            #expect(event.by == "ada" && event.at == at, "\(event.typeName)")
        }
        #expect(Set(cases.map(\.0.typeName)) == Set(UserEvent.typeNames))
    }
}

@Suite("User event encoding")
struct UserEventCodingTests {
    /// 2026-11-25T04:02:08.123Z, as the application rounds its clock: milliseconds since 1970.
    static let at = EventCodingTests.at
    static let tricky = EventCodingTests.tricky

    /// Every user event type, with and without its optional reason, and text that is hard on JSON.
    static let events: [UserEvent] = [
        .added(UserAdded(name: "carol", role: .editor, by: "ada", at: at)),
        .added(UserAdded(name: "a", role: .admin, by: "migration", at: at)),
        .roleChanged(UserRoleChanged(from: .author, to: .publisher, reason: tricky, by: "ada", at: at)),
        .disabled(UserDisabled(reason: tricky, by: "ada", at: at)),
        .enabled(UserEnabled(reason: "вернулась 👍", by: "ada", at: at)),
        .enabled(UserEnabled(reason: nil, by: "ada", at: at)),
        .tokenIssued(TokenIssued(tokenId: "3f9a1c2b", by: "ada", at: at)),
        .tokenRevoked(TokenRevoked(tokenId: "3f9a1c2b", reason: tricky, by: "ada", at: at)),
        .tokenRevoked(TokenRevoked(tokenId: "3f9a1c2b", reason: nil, by: "root", at: at)),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var event: UserEvent
        var testDescription: String { "\(event.typeName) \(event.reason == nil ? "without" : "with") reason" }
    }

    @Test("every user event type is covered by the round-trip cases")
    func everyTypeCovered() {
        #expect(Set(Self.events.map(\.typeName)) == Set(UserEvent.typeNames))
        #expect(UserEvent.typeNames.count == 6)
        #expect(Set(UserEvent.typeNames).count == 6)
        #expect(Set(UserEvent.typeNames).isDisjoint(with: ArticleEvent.typeNames))
        #expect(UserEvent.schemaVersion == 1)
    }

    @Test("user events decode to an equal value, and encode to the same bytes again", arguments: events.map(Case.init))
    func roundTrip(_ testCase: Case) throws {
        let event = testCase.event
        let (type, data) = try event.encoded()
        #expect(type == event.typeName)
        let decoded = try UserEvent.decode(type: type, schemaVersion: UserEvent.schemaVersion, data: data)
        #expect(decoded == event)
        #expect(try decoded.encoded().data == data)
        // Keys are sorted and the time has exactly three fraction digits.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(object["at"] as? String == "2026-11-25T04:02:08.123Z")
        let keys = try Self.topLevelKeys(data)
        #expect(keys == keys.sorted(), "\(keys)")
        #expect(Set(keys) == Set(object.keys))
    }

    @Test("payloads are exactly these bytes: sorted keys, millisecond UTC times, no key for an absent reason")
    func payloadShape() throws {
        let expected: [(UserEvent, type: String, data: String)] = [
            (.added(UserAdded(name: "carol", role: .editor, by: "ada", at: Self.at)), "UserAdded",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","name":"carol","role":"editor"}"#),
            (.roleChanged(UserRoleChanged(from: .author, to: .publisher, reason: "повышение", by: "ada", at: Self.at)),
             "UserRoleChanged",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","from":"author","reason":"повышение","to":"publisher"}"#),
            (.disabled(UserDisabled(reason: "left/gone", by: "ada", at: Self.at)), "UserDisabled",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","reason":"left/gone"}"#),
            (.enabled(UserEnabled(reason: "back", by: "ada", at: Self.at)), "UserEnabled",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","reason":"back"}"#),
            (.enabled(UserEnabled(reason: nil, by: "ada", at: Self.at)), "UserEnabled",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada"}"#),
            (.tokenIssued(TokenIssued(tokenId: "3f9a1c2b", by: "ada", at: Self.at)), "TokenIssued",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","tokenId":"3f9a1c2b"}"#),
            (.tokenRevoked(TokenRevoked(tokenId: "3f9a1c2b", reason: "lost", by: "ada", at: Self.at)), "TokenRevoked",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","reason":"lost","tokenId":"3f9a1c2b"}"#),
            (.tokenRevoked(TokenRevoked(tokenId: "3f9a1c2b", reason: nil, by: "ada", at: Self.at)), "TokenRevoked",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","tokenId":"3f9a1c2b"}"#),
        ]
        for (event, type, data) in expected {
            let encoded = try event.encoded()
            #expect(encoded.type == type)
            #expect(encoded.data == data, "\(type)")
            #expect(try UserEvent.decode(type: type, schemaVersion: 1, data: data) == event)
        }
        #expect(Set(expected.map(\.type)) == Set(UserEvent.typeNames))
    }

    @Test("times are written to the millisecond and read back equal")
    func milliseconds() throws {
        for seconds in [0, -0.001, 951_782_400.5, 1_795_579_328.999, 4_102_444_799.999] {
            let at = Date(timeIntervalSince1970: seconds)
            let event = UserEvent.tokenIssued(TokenIssued(tokenId: "t", by: "ada", at: at))
            let (type, data) = try event.encoded()
            #expect(data.contains("\"at\":\"\(EventTimestamp.string(from: at))\""), "\(data)")
            #expect(try UserEvent.decode(type: type, schemaVersion: 1, data: data).at == at, "\(seconds)")
        }
    }

    @Test("an unknown type, a newer or older schema, or a malformed payload is a clear error")
    func decodingErrors() {
        let added = #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","name":"carol","role":"editor"}"#
        #expect(throws: EventDecodingError.unknownType("UserDeleted")) {
            try UserEvent.decode(type: "UserDeleted", schemaVersion: 1, data: "{}")
        }
        // An article's event is not a user's.
        #expect(throws: EventDecodingError.unknownType("ArticleSubmitted")) {
            try UserEvent.decode(type: "ArticleSubmitted", schemaVersion: 1, data: #"{"at":"2026-11-25T04:02:08.123Z","by":"a"}"#)
        }
        #expect(throws: EventDecodingError.unknownType("useradded")) {
            try UserEvent.decode(type: "useradded", schemaVersion: 1, data: added)
        }
        // The type is checked before the schema version.
        #expect(throws: EventDecodingError.unknownType("UserDeleted")) {
            try UserEvent.decode(type: "UserDeleted", schemaVersion: 2, data: "{}")
        }
        for type in UserEvent.typeNames {
            #expect(throws: EventDecodingError.unsupportedSchemaVersion(type: type, version: 2, supported: 1)) {
                try UserEvent.decode(type: type, schemaVersion: 2, data: added)
            }
            #expect(throws: EventDecodingError.unsupportedSchemaVersion(type: type, version: 0, supported: 1)) {
                try UserEvent.decode(type: type, schemaVersion: 0, data: added)
            }
        }
        let malformed: [(type: String, data: String, named: String)] = [
            ("UserAdded", #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","name":"carol"}"#, "role"),
            ("UserAdded", #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","name":"carol","role":"owner"}"#, "role"),
            ("UserRoleChanged", #"{"at":"2026-11-25T04:02:08.123Z","by":"ada","from":"author","to":"editor"}"#, "reason"),
            ("UserDisabled", #"{"at":"yesterday","by":"ada","reason":"r"}"#, "at"),
            ("TokenIssued", #"{"at":"2026-11-25T04:02:08.123Z","by":"ada"}"#, "tokenId"),
            ("TokenRevoked", #"{"at":"2026-11-25T04:02:08.123Z","tokenId":"t"}"#, "by"),
            ("UserEnabled", "not json", "UserEnabled"),
        ]
        for (type, data, named) in malformed {
            do {
                let event = try UserEvent.decode(type: type, schemaVersion: 1, data: data)
                Issue.record("\(type) \(data) decoded as \(event)")
            } catch {
                guard case .malformedPayload(let reported, let detail) = error else {
                    Issue.record("\(type): \(error)")
                    continue
                }
                #expect(reported == type)
                #expect(error.description.contains(type) && error.description.contains(named), "\(error) \(detail)")
            }
        }
    }

    /// The object's keys in the order they are written.
    static func topLevelKeys(_ json: String) throws -> [String] {
        // Every key of these flat payloads is followed by a colon at depth one; values may hold
        // anything, so walk the text rather than search it.
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var expectingKey = false
        for character in json {
            if inString {
                if escaped { escaped = false; current.append(character); continue }
                if character == "\\" { escaped = true; current.append(character); continue }
                if character == "\"" {
                    inString = false
                    if expectingKey { keys.append(current) }
                    continue
                }
                current.append(character)
                continue
            }
            switch character {
            case "{": depth += 1; expectingKey = depth == 1
            case "}": depth -= 1
            case ",": expectingKey = depth == 1
            case ":": expectingKey = false
            case "\"": inString = true; current = ""
            default: break
            }
        }
        return keys
    }
}
