import ArgumentParser
import Copydesk
import Editorial

/// `copydesk user add|list`: the people who act on articles.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add and list users.", subcommands: [Add.self, List.self, PasswordCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print their API token (shown only this once; only its hash is stored).")
        @Argument(help: "The user's name (lowercase letters, digits, '.', '_', '-').") var name: String
        @Option(help: "author, editor, publisher or admin.") var role: Role

        func run() async throws {
            try await reportingErrors {
                let token = try await CopydeskApp.fromEnvironment().users.add(name: name, role: role)
                print(token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their roles.")
        func run() async throws {
            try await reportingErrors {
                let users = try await CopydeskApp.fromEnvironment().users.list()
                if users.isEmpty {
                    print("No users yet; add one with `copydesk user add NAME --role author`.")
                } else {
                    print(Output.table(["NAME", "ROLE", "SINCE"], users.map { [$0.name, $0.role.rawValue, Output.timestamp($0.createdAt)] }))
                }
            }
        }
    }
}

extension Role: ExpressibleByArgument {}
