import ArgumentParser
import Copydesk
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `copydesk user password NAME`: sets the password NAME signs in to the desk with.
///
/// Never an argument (it would stay in the shell's history and show in `ps`): asked twice without
/// echo on a terminal, or one line read from standard input otherwise (scripts, quickstart).
struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Set a user's desk password (asked twice on a terminal, else one line from standard input).",
        discussion: "Only a bcrypt hash is stored. COPYDESK_BCRYPT_COST (4 to 31, default 12) sets its cost.")

    @Argument(help: "The user whose password to set.") var name: String
    @OptionGroup var administrator: AdministratorOptions

    func run() async throws {
        try await reportingErrors {
            let password = try Self.readPassword()
            let app = try await CopydeskApp.fromEnvironment()
            try await Passwords(pool: app.pool).set(
                name: name, password: password, by: try await administrator.actor(in: app), origin: .cli)
            FileHandle.standardError.write(Data("Password set for \(name).\n".utf8))
        }
    }

    static func readPassword() throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw WorkflowError.invalidInput("no password on standard input; nothing was changed")
            }
            return line
        }
        let first = try prompt("New password: ")
        let second = try prompt("Again: ")
        guard first == second else {
            throw WorkflowError.invalidInput("the two passwords differ; nothing was changed")
        }
        return first
    }

    /// Reads one line from the terminal with echo turned off, and turns it back on whatever happens.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw WorkflowError.invalidInput("cannot read the terminal's settings; pipe the password instead")
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else {
            throw WorkflowError.invalidInput("no password given; nothing was changed")
        }
        return line
    }
}
