import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// An event whose envelope lacks what readers need: `append_events` refuses to write one, and
/// one written around it (by the owner, say) is skipped by the feed with a message naming it,
/// while replay stops on it.
@Suite("Events readers cannot read")
struct UnreadableEventTests {
    /// Writes an event whose metadata has no causationId, as the owner and around `append_events`
    /// (as a script might have); returns its cursor.
    static func insertEventWithoutCausation(_ fixture: WorkflowFixture, stream: String) async throws -> GlobalCursor {
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let row = try await owner.query(
            """
            INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata, hash)
            VALUES ($1, 1, gen_random_uuid(), 'ScriptNote', '{}',
                    '{"actor": "script", "commandId": "5f9bf97b-0000-4000-8000-000000000001",
                      "correlationId": "import-42", "origin": "cli"}', sha256('forged'))
            RETURNING transaction_id::text, global_position
            """,
            [stream]
        ).first!
        await owner.close()
        return GlobalCursor(transactionId: try row.decode(0), position: try row.decode(1))
    }

    /// The log after `cursor` once `expected` entries are readable (other suites' transactions may hold it back).
    static func log(_ fixture: WorkflowFixture, after cursor: GlobalCursor, entries expected: Int) async throws -> LogPage {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let page = try await fixture.app.store.readLog(after: cursor)
            if page.events.count + page.unreadable.count >= expected || ContinuousClock.now > deadline { return page }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("append_events refuses an event lacking what readers need, names what is missing, and writes nothing")
    func appendRefusesBadEnvelope() async throws {
        let fixture = try await WorkflowFixture()
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let metadata = #""actor": "script", "commandId": "5f9bf97b-0000-4000-8000-000000000001", "correlationId": "c""#
        func event(_ metadataFields: String) -> String {
            #"{"id": "\#(UUID())", "type": "Note", "data": {}, "metadata": {\#(metadataFields)}}"#
        }
        let refused: [(event: String, named: String)] = [
            (event(metadata + #", "origin": "cli""#), "causationId"),
            (event(metadata + #", "causationId": "c", "origin": "fax""#), "origin"),
            (#"{"id": "\#(UUID())", "type": "Note", "data": {}}"#, "metadata"),
            (#"{"id": "not-a-uuid", "type": "Note", "data": {}, "metadata": {}}"#, "id"),
            (#"{"id": "\#(UUID())", "data": {}, "metadata": {}}"#, "type"),
        ]
        for (event, named) in refused {
            let error = await #expect(throws: PostgresError.self) {
                try await owner.query(
                    "SELECT * FROM append_events('script-notes', -1, gen_random_uuid(), $1::jsonb)", ["[\(event)]"])
            }
            #expect(error?.code == SQLState(rawValue: "22023"), "\(event)")
            #expect(error?.message.contains(named) == true, "\(error?.message ?? "") should name \(named)")
        }
        #expect(try await fixture.eventCount() == 0)

        let complete = event(metadata + #", "causationId": "c", "origin": "cli""#)
        try await owner.query(
            "SELECT * FROM append_events('script-notes', -1, gen_random_uuid(), $1::jsonb)", ["[\(complete)]"])
        #expect(try await fixture.eventCount() == 1)
        await owner.close()
    }

    @Test("the feed skips an unreadable event naming its position and stream, audit goes on, replay stops on it")
    func readersSkipOrStop() async throws {
        let fixture = try await WorkflowFixture()
        // The log starts with the fixture's users; this test is about what comes after them.
        let users = try await fixture.afterUsers()
        _ = try await fixture.draft(ArticleContent(title: "До"))
        let bad = try await Self.insertEventWithoutCausation(fixture, stream: "script-notes")
        _ = try await fixture.draft(ArticleContent(title: "После"))

        let page = try await Self.log(fixture, after: users, entries: 3)
        #expect(page.events.map(\.type) == ["ArticleDrafted", "ArticleDrafted"])
        #expect(page.unreadable.map(\.position) == [bad.position])
        #expect(page.unreadable.first?.stream == "script-notes")
        #expect(page.unreadable.first?.problem.contains("causationId") == true)
        let strict = await #expect(throws: UnreadableEvent.self) { try await fixture.app.store.readAll() }
        #expect(strict?.position == bad.position)

        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let events = try cli("events")
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.split(separator: "\n").count == fixture.userEventTypes.count + 2)
        let afterUsers = try cli("events", "--after", users.description)
        #expect(afterUsers.status == 0, "\(afterUsers.stderr)")
        #expect(afterUsers.stdout.split(separator: "\n").count == 2)
        #expect(afterUsers.stderr.contains("position \(bad.position) in stream script-notes"), "\(afterUsers.stderr)")
        #expect(events.stderr.contains("position \(bad.position) in stream script-notes"), "\(events.stderr)")
        #expect(events.stderr.contains("causationId"))
        // Continuing after the event before it passes over it too.
        let after = try cli("events", "--after", page.events[0].cursor.description)
        #expect(after.stdout.split(separator: "\n").count == 1)
        #expect(after.stderr.contains("position \(bad.position)"))

        // The audit export has a record for each readable event (the users' first) and none for the unreadable one.
        var audited: [AuditRecord] = []
        for try await record in fixture.app.queries.audit(AuditFilter()) { audited.append(record) }
        #expect(audited.map(\.eventType) == fixture.userEventTypes + ["ArticleDrafted", "ArticleDrafted"])
        #expect(!audited.contains { $0.position == bad.position })
        let audit = try cli("audit", "--format", "csv")
        #expect(
            audit.status == 0 && audit.stdout.split(separator: "\r\n").count == 1 + fixture.userEventTypes.count + 2,
            "\(audit.stderr)")

        let replay = await #expect(throws: UnreadableEvent.self) {
            try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).replay()
        }
        #expect(replay?.position == bad.position && replay?.stream == "script-notes")
        let replayed = try cli("replay")
        #expect(replayed.status != 0)
        #expect(replayed.stderr.contains("position \(bad.position) in stream script-notes"), "\(replayed.stderr)")
        // The failed replay replaced nothing.
        #expect(try await fixture.app.queries.list(ArticleFilter()).count == 2)
        // Nor did it leave its half-filled tables behind.
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let leftovers = try await owner.query("SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_replay%'")
        #expect(try leftovers.first!.decode(0, as: Int.self) == 0)
    }

    @Test("a subscription asked to skip reports the event once and goes on; otherwise it stops with it")
    func subscriptionSkips() async throws {
        let fixture = try await WorkflowFixture()
        // Subscribed after the fixture's users, the subscription sees only what this test wrote.
        let users = try await fixture.afterUsers()
        _ = try await fixture.draft(ArticleContent(title: "До"))
        let bad = try await Self.insertEventWithoutCausation(fixture, stream: "script-notes")
        let last = try await fixture.draft(ArticleContent(title: "После"))
        _ = try await Self.log(fixture, after: users, entries: 3)

        let skipped = SkippedEvents()
        var seen: [RecordedEvent] = []
        let subscription = fixture.app.store.subscribe(
            after: users, pollInterval: .milliseconds(50), skipping: { skipped.add($0) })
        for try await event in subscription {
            seen.append(event)
            if seen.count == 2 { break }
        }
        #expect(seen.last?.streamId == ArticleStream.name(for: last))
        #expect(skipped.positions == [bad.position])

        let stopped = await #expect(throws: UnreadableEvent.self) {
            for try await _ in fixture.app.store.subscribe(pollInterval: .milliseconds(50)) {}
        }
        #expect(stopped?.stream == "script-notes")
    }
}

/// Collects what a subscription skipped.
private final class SkippedEvents: Sendable {
    private let stored = Mutex<[Int64]>([])
    var positions: [Int64] { stored.withLock { $0 } }
    func add(_ event: UnreadableEvent) { stored.withLock { $0.append(event.position) } }
}
