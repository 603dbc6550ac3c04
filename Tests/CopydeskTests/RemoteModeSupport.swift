import Copydesk
import Editorial
import Foundation
import TestSupport

/// A fresh database with alice (author), bob (editor) and carol (publisher), and their tokens.
struct Newsroom {
    let database: TestDatabase
    let tokens: [String: String]

    init() async throws {
        database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        var tokens: [String: String] = [:]
        for (name, role) in [("alice", Role.author), ("bob", .editor), ("carol", .publisher)] {
            tokens[name] = try await app.users.add(name: name, role: role)
        }
        self.tokens = tokens
    }

    /// The operators' mode on this database.
    var directEnvironment: [String: String] {
        Binary.cleanEnvironment.merging(["COPYDESK_DATABASE_URL": database.ownerConninfo]) { _, new in new }
    }

    /// The editors' mode: the server and `user`'s token, no database URL.
    func remoteEnvironment(server: String, user: String) -> [String: String] {
        Binary.cleanEnvironment.merging(["COPYDESK_URL": server, "COPYDESK_TOKEN": tokens[user]!]) { _, new in new }
    }
}

/// The `copydesk` binary run with exactly the environment given (plus the inherited one, without
/// any Copydesk setting of the developer's shell).
enum Binary {
    typealias Run = CLI.Run

    static var cleanEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["COPYDESK_DATABASE_URL", "COPYDESK_URL", "COPYDESK_TOKEN", "COPYDESK_USER"] {
            environment.removeValue(forKey: name)
        }
        // Times in the machine's zone would differ from one machine to the next; the runs compare alike in UTC.
        environment["TZ"] = "UTC"
        // A developer's own `copydesk login` must not answer for the tests.
        environment["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("copydesk-tests-no-login").path
        return environment
    }

    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.environment = environment
        // An empty, closed standard input when there is none: nothing waits on a terminal.
        return try CLI.finish(process, input: input ?? "")
    }
}

/// `copydesk serve` on a free port of 127.0.0.1, until `stop()`.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `log` is written by the pipe's reading handler and read by the test, both under `lock`.
    private let process = Process()
    private let lock = NSLock()
    private var log = ""
    /// `http://127.0.0.1:PORT`.
    private(set) var url = ""

    init(databaseURL: String) throws {
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--port", "0", "--no-scheduler"]
        process.environment = Binary.cleanEnvironment.merging(["COPYDESK_DATABASE_URL": databaseURL]) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else {
                handle.readabilityHandler = nil  // at the end of the output: called again and again otherwise
                return
            }
            self.lock.withLock { self.log += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        // Hummingbird logs "Server started and listening on 127.0.0.1:PORT" once it accepts connections.
        let deadline = Date.now.addingTimeInterval(60)
        while Date.now < deadline {
            let log = lock.withLock { self.log }
            if let match = log.range(of: #"listening on 127\.0\.0\.1:\d+"#, options: .regularExpression) {
                url = "http://" + log[match].dropFirst("listening on ".count)
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ServerDidNotStart(log: lock.withLock { self.log })
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let log: String
        var description: String { "copydesk serve did not start: \(log)" }
    }
}
