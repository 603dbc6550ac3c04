import ArgumentParser
import Copydesk
import Foundation
import LocalPostgres

/// `copydesk db`: the private local PostgreSQL cluster Copydesk uses when COPYDESK_DATABASE_URL is unset.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the private local PostgreSQL cluster.",
        discussion: """
            The cluster lives in COPYDESK_DATA_DIR (default: .copydesk/postgres in the checkout copydesk \
            was built from; without that checkout /var/lib/copydesk/postgres for root, else \
            ~/.local/share/copydesk/postgres), listens only on a Unix socket in that directory, and \
            trusts local connections. Commands other than `db` use it only when COPYDESK_DATABASE_URL \
            is not set.
            """,
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])
}

/// Where the cluster lives, shared by every `db` subcommand.
struct ClusterOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The cluster's data directory, also its socket directory (default: $COPYDESK_DATA_DIR, else see above).",
            valueName: "path"))
    var dataDirectory: String?

    var cluster: LocalCluster {
        guard let dataDirectory else { return .default }
        return LocalCluster(dataDirectory: URL(fileURLWithPath: dataDirectory, isDirectory: true))
    }

    /// A reminder that other commands ignore this cluster while COPYDESK_DATABASE_URL is set.
    func printOverrideNote() {
        if let url = ProcessInfo.processInfo.environment["COPYDESK_DATABASE_URL"], !url.isEmpty {
            print("note: COPYDESK_DATABASE_URL is set, so other copydesk commands use that database, not this cluster")
        }
    }
}

extension DatabaseCommand {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the cluster if needed, start it, and create database copydesk.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let cluster = options.cluster
            try await cluster.start()
            let status = try cluster.status()
            print("PostgreSQL is running (pid \(status.pid.map(String.init) ?? "unknown")) in \(status.dataDirectory.path)")
            print("URL: \(status.url)")
            options.printOverrideNote()
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster (fast shutdown); nothing to do if it is not running.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let cluster = options.cluster
            guard try cluster.status().isRunning else {
                print("PostgreSQL in \(cluster.dataDirectory.path) is not running")
                return
            }
            try cluster.stop()
            print("Stopped PostgreSQL in \(cluster.dataDirectory.path)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the cluster exists and runs; exits with status 1 when it is not running.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            let status = try options.cluster.status()
            print("initialized: \(status.isInitialized ? "yes" : "no")")
            print("running:     \(status.isRunning ? "yes" : "no")")
            print("pid:         \(status.pid.map(String.init) ?? "-")")
            print("data dir:    \(status.dataDirectory.path)")
            print("url:         \(status.url)")
            options.printOverrideNote()
            if !status.isRunning { throw ExitCode.failure }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the cluster's libpq URL only, as in: psql \"$(copydesk db url)\".")

        @OptionGroup var options: ClusterOptions

        @Option(help: "The database to connect to.")
        var database: String = "copydesk"

        func run() async throws {
            print(options.cluster.connectionURL(database: database))
        }
    }
}
