import ArgumentParser
import Copydesk
import EventStore
import Foundation

/// `copydesk verify`: proves the record was not altered.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every event's hash chain and that the projections match the events.",
        discussion: """
            Prints the first event whose stored record does not match its hash chain (exit status 8), \
            and every projection row that differs from a rebuild (exit status 7).
            """)

    func run() async throws {
        try await reportingErrors {
            let database = try await DatabaseConfiguration.fromEnvironment()
            let owner = try await database.ownerConnection()
            try await Migrator().requireUpToDate(on: owner)
            let store = EventStore(pool: database.servicePool())
            if let broken = try await store.firstBrokenEvent() {
                print("The event store was altered. First broken \(TerminalText.line(String(describing: broken))).")
                throw ExitCode(ExitStatus.tampered)
            }
            print("Every event's hash chain verifies.")
            let bar = ProgressBar("verifying")
            let (summary, differences) = try await ProjectionRebuild(conninfo: database.conninfo).verify { progress in
                bar.update(done: progress.events, total: progress.total)
            }
            bar.finish()
            report(summary, verb: "Verified")
            try reportDifferences(differences)
        }
    }
}
