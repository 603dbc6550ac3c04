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
            and every projection row that differs from a rebuild (exit status 7). With --anchor, also checks \
            that the events up to the anchor's position are exactly those it was taken over (exit status 8 \
            when not), which a forger who re-chained whole streams cannot fake.
            """)

    @Option(help: ArgumentHelp("An anchor printed by `copydesk anchor` (text or --json) to check the history against.",
                               valueName: "file"))
    var anchor: String?

    func run() async throws {
        try await reportingErrors {
            // A file that cannot be read is said at once, before the long checks.
            let kept = try anchor.map(Self.readAnchor)
            let database = try await DatabaseConfiguration.fromEnvironment()
            let owner = try await database.ownerConnection()
            try await Migrator().requireUpToDate(on: owner)
            let store = EventStore(pool: database.servicePool())
            if let broken = try await store.firstBrokenEvent() {
                print("The event store was altered. First broken \(TerminalText.line(String(describing: broken))).")
                throw ExitCode(ExitStatus.tampered)
            }
            print("Every event's hash chain verifies.")
            if let kept { try await check(store, against: kept) }
            let bar = ProgressBar("verifying")
            let (summary, differences) = try await ProjectionRebuild(conninfo: database.conninfo).verify { progress in
                bar.update(done: progress.events, total: progress.total)
            }
            bar.finish()
            report(summary, verb: "Verified")
            try reportDifferences(differences)
        }
    }

    private static func readAnchor(_ path: String) throws -> Anchor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnchorError.unreadable("there is no readable file \(path)")
        }
        return try Anchor(parsing: String(decoding: data, as: UTF8.self))
    }

    /// Recomputes the anchor's root over the events as stored now; exit status 8 when it differs.
    private func check(_ store: EventStore, against kept: Anchor) async throws {
        let now = try await store.anchor(at: kept.position)
        let taken = Output.timestamp(kept.takenAt)
        guard now.matches(kept) else {
            let count = now.events == kept.events ? "" : " (\(now.events) events now, \(kept.events) then)"
            print("The event store was altered. The events up to position \(kept.position) differ from the anchor "
                + "taken at \(taken)\(count): an event up to there was changed, removed or added since.")
            throw ExitCode(ExitStatus.tampered)
        }
        print("The events up to position \(kept.position) (\(kept.events) in all) match the anchor taken at \(taken).")
    }
}
