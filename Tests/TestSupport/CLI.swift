import Foundation

/// Runs the built `copydesk` binary against a test database, as a user would.
public struct CLI: Sendable {
    public let databaseURL: String

    /// How one run ended and what it printed.
    public struct Run: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    /// The `copydesk` binary, built beside the test bundle.
    public static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("copydesk")
    }

    /// `copydesk arguments...` (with `--as user` when given) on this database, not started yet: for
    /// a run the test watches while it goes on (`events --follow`, say).
    public func process(_ arguments: [String], user: String? = nil) -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + (user.map { ["--as", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["COPYDESK_DATABASE_URL"] = databaseURL
        environment.removeValue(forKey: "COPYDESK_USER")
        // Human formats print local times; tests read them in UTC whatever zone the machine is in.
        environment["TZ"] = "UTC"
        process.environment = environment
        return process
    }

    /// Runs `copydesk arguments...` (with `--as user` when given) and waits for it to exit.
    public func callAsFunction(_ arguments: String..., user: String? = nil) throws -> Run {
        try run(arguments, user: user)
    }

    /// Runs `copydesk arguments...` (with `--as user` when given) and waits for it to exit.
    public func run(_ arguments: [String], user: String? = nil) throws -> Run {
        try Self.finish(process(arguments, user: user))
    }

    /// Starts `process`, gives it `input` on standard input when there is any (then closes it),
    /// and waits for it to exit, collecting what it printed.
    public static func finish(_ process: Process, input: String? = nil) throws -> Run {
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
