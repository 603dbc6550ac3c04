import Copydesk
import Foundation
import TestSupport
import Testing

/// `copydesk user password NAME`: the password comes from standard input (or a terminal), never
/// from an argument, and only a bcrypt hash is stored.
@Suite("Desk passwords")
struct PasswordCommandTests {
    @Test("a password read from standard input signs in; only a bcrypt hash is stored; bad input changes nothing")
    func passwordFromStandardInput() async throws {
        let database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        _ = try await app.users.add(name: "alice", role: .author)
        let cli = CLI(databaseURL: database.ownerConninfo)

        let set = try Self.run(cli, ["user", "password", "alice"], input: "пароль из двенадцати\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.isEmpty, "nothing secret is printed")
        let passwords = Passwords(pool: app.pool, cost: 4)
        #expect(try await passwords.verify(name: "alice", password: "пароль из двенадцати")?.name == "alice")
        #expect(try await passwords.verify(name: "alice", password: "пароль из двенадцати ") == nil)
        let stored = try await app.pool.withConnection { connection in
            try await connection.query("SELECT password_hash FROM user_passwords WHERE user_name = 'alice'").first!
                .decode("password_hash", as: String.self)
        }
        #expect(stored.hasPrefix("$2b$04$") && !stored.contains("пароль"))

        let short = try Self.run(cli, ["user", "password", "alice"], input: "short\n")
        #expect(short.status == 5 && short.stderr.contains("at least 8 characters"), "\(short.stderr)")
        let nobody = try Self.run(cli, ["user", "password", "nobody"], input: "long enough password\n")
        #expect(nobody.status == 4, "\(nobody.stderr)")
        let empty = try Self.run(cli, ["user", "password", "alice"], input: "")
        #expect(empty.status == 5, "\(empty.stderr)")
        #expect(
            try await passwords.verify(name: "alice", password: "пароль из двенадцати") != nil, "still the first one")
        let argument = try Self.run(cli, ["user", "password", "alice", "secret-on-the-command-line"], input: "")
        #expect(argument.status == 64, "a password is never an argument")
    }

    /// Runs the CLI with `input` on standard input (a pipe, not a terminal) and bcrypt's lowest cost.
    static func run(
        _ cli: CLI, _ arguments: [String], input: String
    ) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = cli.process(arguments)
        process.environment?["COPYDESK_BCRYPT_COST"] = "4"
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
