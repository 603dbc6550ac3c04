import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk user ...`: the people who act on articles. Every change is an event in the user's
/// history, by the admin named with `--as`, or else by the operator's own login name (whoever holds
/// the database URL administers Copydesk).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and manage users: roles, disabling, tokens.",
        subcommands: [Add.self, List.self, ChangeRole.self, Disable.self, Enable.self, Token.self, Revoke.self,
                      PasswordCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print their API token (shown only this once; only its hash is stored).")
        @Argument(help: "The user's name (lowercase letters, digits, '.', '_', '-').") var name: String
        @Option(help: "author, editor, publisher or admin.") var role: Role
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                print(try await app.users.add(name: name, role: role, by: try await administrator.actor(in: app), origin: .cli))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List users: role, state, when added and when last seen (a token's last use, to the minute).")
        @Flag(help: "One JSON object per user.") var json = false

        func run() async throws {
            try await reportingErrors {
                let users = try await CopydeskApp.fromEnvironment().users.list()
                if json {
                    for user in users { print(UserJSON(user).line) }
                } else if users.isEmpty {
                    print("No users yet; add one with `copydesk user add NAME --role author`.")
                } else {
                    print(Output.table(
                        ["NAME", "ROLE", "STATE", "ADDED", "LAST SEEN"],
                        users.map {
                            [TerminalText.line($0.account.name), $0.account.role.rawValue, $0.account.state,
                             Output.timestamp($0.account.createdAt), $0.lastSeen.map { Output.timestamp($0) } ?? "never"]
                        }))
                }
            }
        }
    }

    struct ChangeRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role", abstract: "Give a user another role; the reason is kept in their history.")
        @Argument(help: "The user.") var name: String
        @Argument(help: "author, editor, publisher or admin.") var role: Role
        @Option(help: "Why (required; shown by `copydesk audit`).") var reason: String
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                let user = try await app.users.changeRole(
                    of: name, to: role, reason: reason, by: try await administrator.actor(in: app), origin: .cli)
                print("\(TerminalText.line(user.name)) is now \(user.role.rawValue)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a user from acting: their tokens and desk sessions are refused from the next request on.")
        @Argument(help: "The user.") var name: String
        @Option(help: "Why (required; shown by `copydesk audit`).") var reason: String
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                let user = try await app.users.disable(
                    name, reason: reason, by: try await administrator.actor(in: app), origin: .cli)
                print("\(TerminalText.line(user.name)) is disabled")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a disabled user act again, with the tokens they had.")
        @Argument(help: "The user.") var name: String
        @Option(help: "Why (optional).") var reason: String?
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                let user = try await app.users.enable(
                    name, reason: reason, by: try await administrator.actor(in: app), origin: .cli)
                print("\(TerminalText.line(user.name)) is enabled")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a user a new API token and print it (shown only this once).")
        @Argument(help: "The user.") var name: String
        @Flag(help: "Revoke the user's other tokens (rotation).") var revokeOthers = false
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                print(try await app.users.issueToken(
                    to: name, revokingOthers: revokeOthers, by: try await administrator.actor(in: app), origin: .cli))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke one of a user's tokens, named by its id (the part after `cd_`, as `user list --json` shows).")
        @Argument(help: "The user.") var name: String
        @Argument(help: "The token's id (16 hex digits).") var tokenId: String
        @Option(help: "Why (optional).") var reason: String?
        @OptionGroup var administrator: AdministratorOptions

        func run() async throws {
            try await reportingErrors {
                let app = try await CopydeskApp.fromEnvironment()
                let user = try await app.users.revokeToken(
                    tokenId, of: name, reason: reason, by: try await administrator.actor(in: app), origin: .cli)
                print("token \(TerminalText.line(tokenId)) of \(TerminalText.line(user.name)) is revoked")
            }
        }
    }
}

/// `--as NAME`: the admin who manages users; without it, the operator at the terminal, by their
/// login name (holding the database URL is holding the keys).
struct AdministratorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "The admin acting (default: your login name, as the operator).")
    var user: String?

    func actor(in app: CopydeskApp) async throws -> Actor {
        if let user { return try await app.users.actor(named: user) }
        return Actor(name: Self.loginName, role: .admin)
    }

    /// The login name: `SUDO_USER` under sudo (the person, not root), else the process's user.
    static var loginName: String {
        let environment = ProcessInfo.processInfo.environment
        if let sudoUser = environment["SUDO_USER"], !sudoUser.isEmpty { return sudoUser }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "operator"
    }
}

/// A user as `user list --json` prints them.
struct UserJSON: Encodable {
    let name: String
    let role: String
    let state: String
    let createdAt: String
    let lastSeen: String?
    let tokens: [String]

    init(_ listing: UserListing) {
        name = listing.account.name
        role = listing.account.role.rawValue
        state = listing.account.state
        createdAt = Output.timestamp(listing.account.createdAt, milliseconds: true)
        lastSeen = listing.lastSeen.map { Output.timestamp($0, milliseconds: true) }
        tokens = listing.account.activeTokens
    }

    var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

extension Role: ExpressibleByArgument {}
