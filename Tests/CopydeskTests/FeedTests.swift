import Copydesk
import Editorial
import EventStore
import Foundation
import Testing
import TestSupport

extension WorkflowFixture {
    /// Every event, the users' included, once the global log shows them all.
    ///
    /// The log holds back events behind any older transaction still open in the cluster (other
    /// suites run in parallel), so wait until it has caught up rather than assume it has.
    func readableEvents() async throws -> [RecordedEvent] {
        let expected = try await allEventCount()
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            var events: [RecordedEvent] = []
            var cursor = GlobalCursor.start
            while true {
                let page = try await app.store.readAll(after: cursor, limit: 1000)
                guard let last = page.last else { break }
                events += page
                cursor = last.cursor
            }
            if events.count >= expected || ContinuousClock.now > deadline { return events }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Three articles' worth of events by several users.
    func someHistory() async throws {
        let first = try await draft(ArticleContent(title: "Консул", body: "Текст с \"кавычками\"\nи строками"))
        try await run(.submit, on: first, as: alice)
        try await run(.approve(note: "ok, \"fine\""), on: first, as: bob)
        let second = try await draft(ArticleContent(title: "Harbour reopens"))
        try await run(.comment(text: "Check the photo credit"), on: second, as: dave)
        _ = try await published(ArticleContent(title: "Budget vote", body: "Body"))
    }
}

/// Reads a running process's standard output line by line, with a deadline.
///
/// `@unchecked Sendable`: the pipe's handler (another thread) and the test share `buffer` only
/// under `lock`.
final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()

    init(_ pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            lock.withLock { buffer.append(data) }
        }
    }

    /// The next complete line, or nil when none arrives before `timeout`.
    func nextLine(timeout: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let line: String? = lock.withLock {
                guard let end = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                let line = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...end)
                return line
            }
            if let line { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

@Suite("The global feed: copydesk events")
struct FeedTests {
    @Test("events prints every event once, in log order, with data as JSON and a cursor per line")
    func everyEventOnce() async throws {
        let fixture = try await WorkflowFixture()
        try await fixture.someHistory()
        let events = try await fixture.readableEvents()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let run = try cli("events")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == events.map(FeedLine.jsonLine))
        #expect(lines.count == (try await fixture.allEventCount()))
        // The fixture's users come first, then the articles' events.
        #expect(events.prefix(fixture.userEventTypes.count).map(\.type) == fixture.userEventTypes)
        #expect(events.dropFirst(fixture.userEventTypes.count).allSatisfy { $0.streamId.hasPrefix("article-") })
        #expect(events.count - fixture.userEventTypes.count == (try await fixture.eventCount()))
        for (line, event) in zip(lines, events) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["cursor"] as? String == event.cursor.description)
            #expect(object["position"] as? Int == Int(event.globalPosition))
            #expect(object["stream"] as? String == event.streamId)
            #expect(object["type"] as? String == event.type)
            #expect(object["data"] is [String: Any], "data is embedded JSON, not a string")
            let metadata = try #require(object["metadata"] as? [String: Any])
            #expect(metadata["actor"] as? String == event.metadata.actor)
            #expect((object["recordedAt"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test("--after continues from a printed cursor with no gap and no repeat; --limit caps the lines")
    func afterAndLimit() async throws {
        let fixture = try await WorkflowFixture()
        try await fixture.someHistory()
        let all = try await fixture.readableEvents().map(FeedLine.jsonLine)
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)

        let head = try cli("events", "--limit", "4").stdout.split(separator: "\n").map(String.init)
        try #require(head == Array(all.prefix(4)))
        let object = try JSONSerialization.jsonObject(with: Data(head[3].utf8)) as? [String: Any]
        let cursor = try #require(object?["cursor"] as? String)
        let rest = try cli("events", "--after", cursor).stdout.split(separator: "\n").map(String.init)
        #expect(head + rest == all)
        let two = try cli("events", "--after", cursor, "--limit", "2").stdout.split(separator: "\n").map(String.init)
        #expect(two == Array(all[4..<6]))

        let last = try JSONSerialization.jsonObject(with: Data(all[all.count - 1].utf8)) as? [String: Any]
        let end = try cli("events", "--after", try #require(last?["cursor"] as? String))
        #expect(end.status == 0 && end.stdout.isEmpty)
        #expect(try cli("events", "--after", "not-a-cursor").status == 64)
        #expect(try cli("events", "--limit", "0").status == 64)
    }

    @Test("--follow prints a newly appended event within seconds, line by line through a pipe")
    func follow() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Before"))
        let start = try #require(try await fixture.readableEvents().last).cursor

        let process = CLI(databaseURL: fixture.database.ownerConninfo)
            .process(["events", "--follow", "--after", start.description, "--poll-interval", "0.5"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let reader = LineReader(output)
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
        }

        try await fixture.run(.comment(text: "fresh, \"live\""), on: id, as: fixture.bob)
        let line = try #require(try await reader.nextLine(timeout: .seconds(30)), "the new event is printed")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "CommentAdded")
        #expect((object["data"] as? [String: Any])?["text"] as? String == "fresh, \"live\"")

        try await fixture.run(.submit, on: id, as: fixture.alice)
        let next = try #require(try await reader.nextLine(timeout: .seconds(30)))
        #expect(next.contains("\"ArticleSubmitted\""))
        #expect(process.isRunning)
    }
}
