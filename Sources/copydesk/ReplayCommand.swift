import ArgumentParser
import Copydesk
import Foundation
import LocalPostgres

/// `copydesk replay`: rebuilds every projection from the events alone.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every projection from the events alone and swap it in atomically.",
        discussion: """
            Readers see the old projections until the new ones are complete. With --verify, nothing \
            is replaced: the rebuild is compared with the live projections and every differing row \
            is listed (exit status 7 when there is any).
            """)

    @Flag(help: "Compare a rebuild with the live projections instead of replacing them.") var verify = false

    @Option(help: "Workers folding streams side by side (default: one per core, up to 8; one for a small store).")
    var jobs: Int?

    func validate() throws {
        if let jobs, !(1...64).contains(jobs) {
            throw ValidationError("--jobs takes a number of workers from 1 to 64.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let database = try await DatabaseConfiguration.fromEnvironment()
            let owner = try await database.ownerConnection()
            try await Migrator().requireUpToDate(on: owner)
            let rebuild = ProjectionRebuild(conninfo: database.conninfo, jobs: jobs)
            let bar = ProgressBar(verify ? "verifying" : "replaying")
            let progress: @Sendable (ProjectionRebuild.Progress) -> Void = { bar.update(done: $0.events, total: $0.total) }
            if verify {
                let (summary, differences) = try await rebuild.verify(progress: progress)
                bar.finish()
                report(summary, verb: "Verified")
                try reportDifferences(differences)
            } else {
                let summary = try await rebuild.replay(progress: progress)
                bar.finish()
                report(summary, verb: "Replayed")
            }
        }
    }
}

/// "Replayed 1,000,000 events of 10,000 articles in 12.3 s (81,300 events/s, peak memory 44 MB)".
func report(_ summary: ProjectionRebuild.Summary, verb: String) {
    print("\(verb) \(Output.count(summary.events, "event")) of \(Output.count(summary.articles, "article")) in "
        + String(format: "%.1f", summary.seconds) + " s (\(Int(summary.eventsPerSecond).grouped) events/s, "
        + "peak memory \(Int(peakResidentMegabytes().rounded())) MB)")
}

/// Lists the differences, and fails with `ExitStatus.differences` when there are any.
func reportDifferences(_ differences: [ProjectionDifference]) throws {
    guard !differences.isEmpty else {
        print("The projections match the events.")
        return
    }
    print("\(differences.count) projection row(s) differ from what the events say:")
    for difference in differences { print("  " + TerminalText.line(String(describing: difference))) }
    print("Run `copydesk replay` to rebuild the projections from the events.")
    throw ExitCode(ExitStatus.differences)
}
