import ArgumentParser
import Copydesk
import Foundation

/// `copydesk scheduler`: publishes scheduled articles when they are due.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Publish scheduled articles when they are due, as the actor `scheduler`.",
        discussion: """
            Safe to run on several machines at once: each article is published exactly once. Articles \
            whose time passed while no scheduler ran are published at start, their lateness recorded.
            """)

    @Flag(help: "Publish what is due now, then exit.") var once = false
    @Option(help: "Seconds between passes.") var interval: Double = 5
    @OptionGroup var times: TimeOptions

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be more than 0 seconds") }
    }

    func run() async throws {
        try await reportingErrors(utc: times.utc) {
            let scheduler = Scheduler(commands: try await CopydeskApp.fromEnvironment().commands)
            if once {
                let published = try await scheduler.publishDue()
                for publication in published { Self.announce(publication) }
                print(published.isEmpty
                    ? "nothing due: no scheduled article's time has come"
                    : "published \(Output.count(published.count, "article"))")
                return
            }
            FileHandle.standardOutput.write(Data("Scheduler running (every \(interval) s); Ctrl-C stops it.\n".utf8))
            await scheduler.run(every: .milliseconds(Int(interval * 1000)), onPublished: Self.announce) { error in
                let message = TerminalText.line(String(describing: error))
                FileHandle.standardError.write(Data("copydesk scheduler: \(message); retrying\n".utf8))
            }
        }
    }

    @Sendable static func announce(_ publication: Scheduler.Publication) {
        let late = Date.now.timeIntervalSince(publication.scheduledFor)
        let line = "published \(publication.article.lowercased) (scheduled for \(Output.timestamp(publication.scheduledFor)), "
            + String(format: "%.0f", late) + " s late)\n"
        // Unbuffered, so each publication shows at once in a pipe or a log file.
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
