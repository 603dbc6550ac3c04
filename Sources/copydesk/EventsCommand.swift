import ArgumentParser
import Copydesk
import EventStore
import Foundation

/// `copydesk events`: the global event log as JSON lines, optionally followed live.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the global event log as JSON lines, in log order; --follow keeps printing new events.",
        discussion: """
            Each line is one JSON object: cursor, position, stream, version, id, type, schemaVersion, data (the \
            event's JSON), metadata and recordedAt. Pass a line's cursor to --after to continue after that event: \
            no event is skipped or repeated, even when concurrent commands commit out of order. For that, an \
            event appears only once every transaction that started before it has ended. An event that cannot \
            be read (its metadata lacks a field, say) is skipped with a warning on standard error naming its \
            position and stream.
            """)

    @Option(help: "Start after this cursor (the \"cursor\" of a printed line; default: from the beginning).")
    var after: String?
    @Option(help: "Print at most this many events, then exit (default: all).")
    var limit: Int?
    @Flag(help: "Keep running and print new events as they are appended (stop with Ctrl-C).")
    var follow = false
    @Option(help: "With --follow, how often to look for new events when no notification arrives, in seconds.")
    var pollInterval: Double = 1

    func validate() throws {
        if let after, GlobalCursor(after) == nil {
            throw ValidationError("--after takes a cursor like 1234-56, as printed in the \"cursor\" field")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        guard pollInterval >= 0.01, pollInterval <= 3600 else {
            throw ValidationError("--poll-interval must be between 0.01 and 3600 seconds")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let app = try await CopydeskApp.fromEnvironment()
            let start = after.flatMap(GlobalCursor.init) ?? .start
            if follow {
                try await followLog(app.store, from: start)
            } else {
                try await printAvailable(app.store, from: start)
            }
        }
    }

    /// Everything readable now (up to `limit`), page by page so memory stays bounded.
    private func printAvailable(_ store: EventStore, from start: GlobalCursor) async throws {
        var remaining = limit ?? Int.max
        for try await page in store.pages(after: start, pageSize: min(remaining, 1000), skipping: Self.warn) {
            for event in page.prefix(remaining) { print(FeedLine.jsonLine(event)) }
            remaining -= page.count
            if remaining <= 0 { break }
        }
    }

    /// Every event from `start` on, as it arrives, flushing each line so pipes see it at once.
    private func followLog(_ store: EventStore, from start: GlobalCursor) async throws {
        var remaining = limit ?? Int.max
        let interval = Duration.milliseconds(Int64((pollInterval * 1000).rounded()))
        for try await event in store.subscribe(after: start, pollInterval: interval, skipping: Self.warn) {
            print(FeedLine.jsonLine(event))
            fflush(nil)  // all C streams, print's included: stdout is fully buffered in a pipe
            remaining -= 1
            if remaining == 0 { return }
        }
    }

    /// Says on standard error which event was skipped, so the output stays the log's JSON lines.
    @Sendable private static func warn(_ skipped: UnreadableEvent) {
        let message = TerminalText.line(String(describing: skipped))
        FileHandle.standardError.write(Data("warning: \(message); skipped it\n".utf8))
    }
}
