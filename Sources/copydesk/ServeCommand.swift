import ArgumentParser
import Copydesk
import CopydeskHTTP
import Foundation
import Hummingbird
import Logging

/// `copydesk serve`: the HTTP API, with the scheduler beside it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API, the desk (/desk) and the scheduler until SIGTERM or Ctrl-C.",
        discussion: """
            GET /openapi.yaml describes every route. On SIGTERM the server stops accepting \
            connections and lets requests in flight finish before it exits.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Largest request body accepted, in bytes (larger ones get 413).") var maxBodyBytes = 2 * 1024 * 1024
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Flag(help: "Do not run the scheduler in this process.") var noScheduler = false
    @Option(help: ArgumentHelp(
        "Log an anchor of the whole history every this many minutes (0: never).",
        discussion: "The log line's `anchor` field is what `copydesk anchor --json` prints; saved to a file, "
            + "`copydesk verify --anchor FILE` checks the history against it."))
    var anchorEvery = 0
    @Flag(help: "Take the client's address from X-Forwarded-For (only behind a proxy that sets it).")
    var trustForwardedFor = false
    @Flag(help: "The server sits behind TLS (a proxy terminates it): the desk's session cookie is marked Secure.")
    var behindTLS = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard anchorEvery >= 0 else { throw ValidationError("--anchor-every must be 0 (never) or a number of minutes") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "copydesk")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let app = try await CopydeskApp.fromEnvironment()
            let server = buildApplication(
                app: app,
                configuration: HTTPServerConfiguration(
                    host: host, port: port, maximumBodyBytes: maxBodyBytes,
                    clientAddresses: ClientAddressSource(trustForwardedFor: trustForwardedFor),
                    anchorInterval: anchorEvery > 0 ? .seconds(anchorEvery * 60) : nil, behindTLS: behindTLS),
                logger: logger, runScheduler: !noScheduler)
            try await server.runService()
        }
    }
}
